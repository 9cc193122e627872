/**
 * The language server's first diagnostics after a workspace opens: from starting the server process to its first
 * publishDiagnostics and to the end of its first validation, as an editor opening the folder waits for them.
 * Keystroke-to-diagnostics latency through LSP: the bundled server as a child process, edited as an editor would,
 * timed from didChange to the publishDiagnostics of that file. The server's debounce is set to 0 here to measure
 * the work itself; in the editor the default 150 ms debounce comes on top, by design.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspProcess } from '../test/lsp/lspProcess';
import { copyExampleActor } from '../test/lsp/workspace';
import { BenchRow, generateLargeInputSchema } from './validation';

const KEYSTROKES = 40;

async function keystrokeLatencies(schemaText: string): Promise<number[]> {
  const actor = copyExampleActor();
  const schemaPath = actor.file('.actor/input_schema.json');
  fs.writeFileSync(schemaPath, schemaText);
  const server = new LspProcess({ enable: true, warnings: 'all', debounceMs: 0 });
  try {
    await server.initialize(actor.root);
    await server.open(schemaPath, schemaText, 'actor-definition');
    await server.waitFor('the opened schema to be validated', () => server.diagnosticsOf(schemaPath) !== undefined);
    const latencies: number[] = [];
    let text = schemaText;
    for (let version = 2; version < KEYSTROKES + 2; version++) {
      // Type into the first title; every other keystroke also breaks the schema (a key the platform rejects).
      text = text.replace('"title": "', version % 2 ? '"title": "x' : '"title": "x", "bogus": 1, "title": "');
      const published = server.publishCountOf(schemaPath);
      const started = performance.now();
      await server.change(schemaPath, text, version);
      await server.waitFor(`the diagnostics of keystroke ${version}`, () => server.publishCountOf(schemaPath) > published);
      latencies.push(performance.now() - started);
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    await server.stop();
    actor.dispose();
  }
}

const OPENINGS = 5;
const CORPUS = process.env.GREENROOM_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');

/** Milliseconds from spawning the server to its first publishDiagnostics, and to its first finished validation. */
async function firstDiagnostics(workspace: string): Promise<{ published: number; validated: number }> {
  const started = performance.now();
  const server = new LspProcess({ enable: true, warnings: 'all', debounceMs: 0 });
  try {
    await server.initialize(workspace);
    await server.waitFor('the first diagnostics', () => server.publishCount > 0);
    const published = performance.now() - started;
    await server.waitFor('the first validation', () => server.validationCount > 0);
    return { published, validated: performance.now() - started };
  } finally {
    await server.stop();
  }
}

export async function firstDiagnosticsBenchmark(): Promise<BenchRow[]> {
  const actor = copyExampleActor();
  const workspaces: [string, string, number][] = [['open the example Actor', actor.root, OPENINGS]];
  if (fs.existsSync(CORPUS)) workspaces.push([`open the corpus (${fs.readdirSync(CORPUS).length} folders)`, CORPUS, 1]);
  const rows: BenchRow[] = [];
  try {
    for (const [name, workspace, openings] of workspaces) {
      const runs: { published: number; validated: number }[] = [];
      for (let opening = 0; opening < openings; opening++) runs.push(await firstDiagnostics(workspace));
      const median = (key: 'published' | 'validated') => runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
      rows.push({ case: name, size: `${openings} opening${openings === 1 ? '' : 's'}`,
        medians: { 'first publishDiagnostics': median('published'), 'first validation done': median('validated') }, target: 'from the server process start' });
      console.log(`  ${name}: done`);
    }
  } finally {
    actor.dispose();
  }
  return rows;
}

export async function lspLatencyBenchmark(): Promise<BenchRow[]> {
  const example = fs.readFileSync(path.resolve(__dirname, '../../examples/hello-actor/.actor/input_schema.json'), 'utf8');
  const rows: BenchRow[] = [];
  for (const [name, text] of [['keystroke → diagnostics, typical', example], ['keystroke → diagnostics, large', generateLargeInputSchema(450 * 1024)]]) {
    const latencies = await keystrokeLatencies(text);
    rows.push({
      case: name,
      size: `${(Buffer.byteLength(text) / 1024).toFixed(0)} kB`,
      medians: { greenroom: latencies[Math.floor(latencies.length / 2)], 'greenroom p90': latencies[Math.floor(latencies.length * 0.9)] },
      target: 'whole Actor re-validated and published',
    });
  }
  return rows;
}
