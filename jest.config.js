/** One Jest project per workspace, plus tests/ for cross-part tests. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const base = (name, extra = {}) => ({
  displayName: name,
  rootDir: `<rootDir>/${name}`,
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@otel-rum/model$': '<rootDir>/../model/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  ...extra,
});

/** Packages that ship only ES modules, which Jest must transform (Grafana's and their dependencies). */
const ESM_PACKAGES = [
  '@grafana/schema',
  '@react-hookz/web',
  '@ver0/deep-equal',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'marked',
  'ol',
  'react-calendar',
  'react-colorful',
  'rxjs',
  'uuid',
  '@wojtekmaj/date-utils',
  'get-user-locale',
  'memoize',
  'mimic-function',
];

module.exports = {
  rootDir: __dirname,
  projects: [
    base('model'),
    base('sdk-otel', { testEnvironment: 'node' }),
    base('server'),
    base('collector-config'),
    base('tests'),
    base('plugins', {
      testEnvironment: 'jsdom',
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
      moduleNameMapper: {
        '^@otel-rum/model$': '<rootDir>/../model/src/index.ts',
        '\\.(css|scss)$': '<rootDir>/jest-css.js',
      },
      setupFilesAfterEnv: ['<rootDir>/jest-setup.ts'],
    }),
  ],
};
