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

module.exports = {
  rootDir: __dirname,
  projects: [
    base('model'),
    base('sdk-otel', { testEnvironment: 'node' }),
    base('server'),
    base('collector-config'),
    base('tests'),
  ],
};
