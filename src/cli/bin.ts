/**
 * The `greenroom` executable (dist/cli.js). It installs v8-compile-cache, then loads the CLI bundle
 * (dist/cli-main.js) through it: every start after the first reuses V8's code for the ~3 MB bundle instead of
 * parsing it again (~18 ms per command). The bundle is a separate file so that the cache covers it.
 */
import 'v8-compile-cache';
import type * as cli from './main';

// Resolved beside this file at run time: scripts/build.mjs keeps it out of this bundle.
(require('./cli-main.js') as typeof cli).runAsProcess();
