// Bundles the entry points with esbuild: the extension host, the language server, the CLI and the input form webview.
// `--production` minifies and leaves source maps out (they stay out of the .vsix); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

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

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The input form's webview script (and its CSS beside it): runs in the browser, not in Node.
  { entryPoints: ['src/webview/inputForm/main.ts'], outfile: 'dist/webview/inputForm.js', platform: 'browser', target: 'chrome120', format: 'iife' },
];

// Optional native add-ons of dockerode's ssh transport (ssh2): they load inside try/catch and fall back to pure
// JavaScript, so the bundle leaves them out instead of failing on a .node file.
const optionalNative = ['cpu-features', '*.node'];

const contexts = await Promise.all(
  entries.map((entry) => esbuild.context({ ...common, ...entry, external: [...(entry.external ?? []), ...optionalNative] })),
);
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  chmodSync('dist/cli.js', 0o755);
}
