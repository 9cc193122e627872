/** `npm run bench:validate`: the validator beside the platform's, then keystroke-to-diagnostics latency over LSP. */
import { lspLatencyBenchmark } from './lspLatency';
import { printTable, validationBenchmark } from './validation';

async function main(): Promise<void> {
  printTable('Input schema validation (greenroom vs @apify/input_schema validateInputSchema)', validationBenchmark());
  printTable('Language server (dist/server.js over stdio, debounce 0)', await lspLatencyBenchmark());
}

void main();
