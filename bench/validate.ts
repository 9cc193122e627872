/**
 * `npm run bench:validate`: `greenroom validate` as a whole process beside `apify validate-schema`; the validator
 * beside the platform's in one process; the language server's first diagnostics and keystroke latency over LSP.
 */
import { cliProcessBenchmark } from './cliProcess';
import { firstDiagnosticsBenchmark, lspLatencyBenchmark } from './lspLatency';
import { printTable, validationBenchmark } from './validation';

async function main(): Promise<void> {
  const started = performance.now();
  console.log('greenroom validate vs apify validate-schema, whole processes (wall ms):');
  printTable('CLI, start to exit (greenroom validate --format json vs apify validate-schema)', cliProcessBenchmark());
  console.log('\nvalidator in process:');
  printTable('Input schema validation (greenroom vs @apify/input_schema validateInputSchema)', validationBenchmark());
  console.log('\nlanguage server:');
  printTable('Language server, first diagnostics after opening a workspace (dist/server.js over stdio)', await firstDiagnosticsBenchmark());
  printTable('Language server, keystroke to diagnostics (dist/server.js over stdio, debounce 0)', await lspLatencyBenchmark());
  console.log(`\nbenchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

void main();
