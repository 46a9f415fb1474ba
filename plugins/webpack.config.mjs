/*
 * Builds every plugin under src/ (the app at src/plugin.json, nested plugins at src/<name>/plugin.json)
 * into dist/ the way Grafana loads them: one AMD module.js per plugin whose shared packages are
 * Grafana's own (externals), public path taken at run time from the AMD `module` dependency.
 * The layout and output follow @grafana/create-plugin's; the configuration is ours and smaller.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const appJson = JSON.parse(readFileSync(join(src, 'plugin.json'), 'utf8'));

/** module.ts of the app and of each nested plugin (a folder of src/ holding a plugin.json). */
function entries() {
  const found = { module: join(src, 'module.ts') };
  const walk = (dir) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const sub = join(dir, d.name);
      for (const m of ['module.ts', 'module.tsx']) {
        if (existsSync(join(sub, 'plugin.json')) && existsSync(join(sub, m)))
          found[`${relative(src, sub)}/module`] = join(sub, m);
      }
      walk(sub);
    }
  };
  walk(src);
  return found;
}

/** Packages Grafana shares with plugins at run time; bundling a second copy would break them. */
const externals = [
  { 'amd-module': 'module' },
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'rxjs',
  /^rxjs\//,
  '@emotion/css',
  '@emotion/react',
  'lodash',
  'moment',
  /^@grafana\/(data|ui|runtime|schema)(\/.*)?$/,
];

const publicPath = `
import amdModule from 'amd-module';
__webpack_public_path__ = amdModule && amdModule.uri
  ? amdModule.uri.slice(0, amdModule.uri.lastIndexOf('/') + 1)
  : 'public/plugins/${appJson.id}/';
`;

const stamp = (content) =>
  content
    .toString()
    .replace(/%VERSION%/g, pkg.version)
    .replace(/%TODAY%/g, new Date().toISOString().slice(0, 10));

/** Folders of the nested plugins, relative to src/ (datasource, panels/replay...). */
const nested = Object.keys(entries())
  .filter((e) => e !== 'module')
  .map((e) => e.slice(0, -'/module'.length));

export default (env = {}) => ({
  context: src,
  mode: env.production ? 'production' : 'development',
  devtool: env.production ? 'source-map' : 'eval-source-map',
  entry: entries(),
  externals,
  module: {
    rules: [
      {
        test: /module\.tsx?$/,
        enforce: 'post',
        use: [{ loader: join(root, 'scripts', 'public-path-loader.cjs'), options: { code: publicPath } }],
      },
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      { test: /\.(png|jpe?g|gif|svg)$/, type: 'asset/resource' },
    ],
  },
  output: {
    clean: true,
    filename: '[name].js',
    chunkFilename: '[name].js?_cache=[contenthash]',
    library: { type: 'amd' },
    path: join(root, 'dist'),
    publicPath: `public/plugins/${appJson.id}/`,
    uniqueName: appJson.id,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    alias: { '@otel-rum/model': resolve(root, '../model/src/index.ts') },
  },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: '**/plugin.json', to: '.', transform: stamp },
        { from: '**/img/*', to: '.' },
        { from: 'dashboards/*.json', to: '.' },
        { from: '**/README.md', to: '.', transform: stamp },
        // Every plugin folder carries the license and the changelog (Grafana's validator checks
        // each nested plugin's folder as a plugin of its own).
        ...['.', ...nested].map((dir) => ({ from: '../../LICENSE', to: dir })),
        ...['.', ...nested].map((dir) => ({ from: '../CHANGELOG.md', to: dir })),
      ],
    }),
  ],
  performance: { hints: false },
});
