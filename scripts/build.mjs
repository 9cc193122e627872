// Bundles the entry points with esbuild: the extension host, the language server, the CLI and the webviews (input form, dataset viewer).
// `--production` minifies and leaves source maps out (they stay out of the .vsix); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compileValidators } from './compileValidators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's `main` is a UMD build whose require('./impl/…') calls esbuild cannot follow: prefer ES modules.
  mainFields: ['module', 'main'],
};

await compileValidators();
const VALIDATOR_BUNDLES = readdirSync('src/validator/compiled').filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -3));

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The CLI: a small executable that loads the bundle through a V8 code cache (see src/cli/bin.ts).
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cli-main.js'] },
  // The xlsx writer with exceljs (~1.2 MB): loaded by the extension and the CLI only when an xlsx export starts.
  { entryPoints: ['src/storage/export/xlsxExport.ts'], outfile: 'dist/xlsxExport.js' },
  // The memory-expression evaluator with mathjs (~2.5 MB): loaded only for an Actor that declares defaultMemoryMbytes.
  { entryPoints: ['src/engine/memoryExpression.ts'], outfile: 'dist/memoryExpression.js' },
  // The validators compiled ahead of time (scripts/compileValidators.mjs), one file per bundle, each loaded on first
  // use (src/validator/metaSchemas.ts). Generated code: minified always, with no source map.
  { entryPoints: VALIDATOR_BUNDLES.map((bundle) => `src/validator/compiled/${bundle}.ts`), outdir: 'dist/compiled', minify: true, sourcemap: false },
  // The input form's webview script (and its CSS beside it): runs in the browser, not in Node.
  { entryPoints: ['src/webview/inputForm/main.ts'], outfile: 'dist/webview/inputForm.js', platform: 'browser', target: 'chrome120', format: 'iife' },
  // The dataset viewer's webview script (and its CSS).
  { entryPoints: ['src/webview/datasetViewer/main.ts'], outfile: 'dist/webview/datasetViewer.js', platform: 'browser', target: 'chrome120', format: 'iife' },
  // The run view's webview script (and its CSS, uPlot's included).
  { entryPoints: ['src/webview/runView/main.ts'], outfile: 'dist/webview/runView.js', platform: 'browser', target: 'chrome120', format: 'iife' },
];

// Optional native add-ons of dockerode's ssh transport (ssh2): they load inside try/catch and fall back to pure
// JavaScript, so the bundle leaves them out instead of failing on a .node file.
const optionalNative = ['cpu-features', '*.node'];
// Bundles loaded at run time by a relative path (src/storage/export/datasetExport.ts, src/engine/memory.ts,
// src/validator/metaSchemas.ts): beside each other in dist/.
const lazyBundles = ['./xlsxExport.js', './memoryExpression.js', './compiled/*'];

// Start-up work that bundled code never needs, deferred in the bundle (measured with --cpu-prof on `greenroom run`).
const deferStartupWork = {
  name: 'defer-startup-work',
  setup(build) {
    // dockerode's BuildKit session (gRPC, protobuf) and docker-modem's ssh transport (ssh2) are required at import,
    // yet only BuildKit builds and ssh:// endpoints call them (~30 ms). Each module exports one function: the bundle
    // gets a stand-in that loads the real module on the first call.
    build.onLoad({ filter: /[\\/](dockerode[\\/]lib[\\/]session|docker-modem[\\/]lib[\\/]ssh)\.js$/ }, (args) =>
      args.suffix === '?real'
        ? undefined
        : {
            contents: `module.exports = function () { return require(${JSON.stringify(`${args.path}?real`)}).apply(this, arguments); };`,
            resolveDir: dirname(args.path),
          },
    );
    // A require() of @apify/input_schema (a lazy load in src/validator/inputObject.ts) would pick the packages'
    // CommonJS builds: a second copy of each, and json_schemas' Ajv built eagerly. Resolve it as `import` does.
    build.onResolve({ filter: /^@apify\/(input_schema|json_schemas)$/ }, (args) =>
      args.kind === 'require-call' ? build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir }) : undefined,
    );
    // @apify/json_schemas builds an Ajv holding every meta-schema at import (~45 ms) for its get*SchemaValidator()
    // helpers, which bundled code never calls (the validator compiles its own): build it on the first call instead.
    build.onLoad({ filter: /[\\/]@apify[\\/]json_schemas[\\/]esm[\\/]index\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = 'var ajv = new Ajv({';
      if (source.split(eager).length !== 2) throw new Error(`${args.path} changed: "${eager}" not found once; update scripts/build.mjs`);
      const contents = source
        .replace(eager, 'var ajvInstance;\nvar createAjv = () => new Ajv({')
        .replaceAll('ajv.compile(', '(ajvInstance ??= createAjv()).compile(');
      return { contents, loader: 'js' };
    });
  },
};

// archiver-utils (under exceljs's zip writer) still calls the deprecated `new Buffer()`, which makes Node print a
// DeprecationWarning when the caller is outside node_modules, as it is in the bundle: it gets the current Buffer API.
const modernBuffer = {
  name: 'modern-buffer',
  setup(build) {
    build.onLoad({ filter: /[\\/]archiver-utils[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source
        .replace('new Buffer(0)', 'Buffer.alloc(0)')
        .replace('new Buffer(source)', 'Buffer.from(source)')
        .replace('new Buffer(size)', 'Buffer.alloc(size)');
      if (contents.includes('new Buffer(')) throw new Error(`${args.path} changed: "new Buffer(" left; update scripts/build.mjs`);
      return { contents, loader: 'js' };
    });
  },
};

const contexts = await Promise.all(
  entries.map((entry) =>
    esbuild.context({ ...common, ...entry, external: [...(entry.external ?? []), ...optionalNative, ...lazyBundles], plugins: [deferStartupWork, modernBuffer] }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  chmodSync('dist/cli.js', 0o755);
}
