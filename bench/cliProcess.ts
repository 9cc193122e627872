/**
 * `greenroom validate` as CI runs it: the whole process from start to exit, next to the Apify CLI's
 * `apify validate-schema` (apify-cli, a dev dependency) on the same Actors, in the same run. Greenroom runs on the
 * example and every Actor of the corpus (GREENROOM_CORPUS, else ../shared/corpus, when present); apify-cli, at
 * several seconds a process, on the example and an even sample of the corpus.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchRow } from './validation';

const REPO_ROOT = path.resolve(__dirname, '../..');
const GREENROOM = path.join(REPO_ROOT, 'dist', 'cli.js');
const APIFY = path.join(REPO_ROOT, 'node_modules', 'apify-cli', 'dist', 'apify.js');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'hello-actor');
const CORPUS = process.env.GREENROOM_CORPUS ?? path.resolve(REPO_ROOT, '../shared/corpus');
const EXAMPLE_ROUNDS = 5;
const APIFY_EXAMPLE_ROUNDS = 3;
const APIFY_SAMPLE = Number(process.env.BENCH_APIFY_SAMPLE) || 4;

/** Wall milliseconds of one process; its exit code does not matter here (invalid Actors exit 1). */
function processMillis(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, APIFY_CLI_DISABLE_TELEMETRY: '1' } });
  if (result.error) throw result.error;
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const greenroomMillis = (actor: string) => processMillis([GREENROOM, 'validate', actor, '--format', 'json'], actor);
const apifyMillis = (actor: string) => processMillis([APIFY, 'validate-schema'], actor);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

function progress(message: string): void {
  process.stdout.write(`  ${message}\n`);
}

function corpusActors(): string[] {
  const index = path.join(CORPUS, 'INDEX.json');
  if (!fs.existsSync(index)) return [];
  return (JSON.parse(fs.readFileSync(index, 'utf8')) as { actorRoot: string }[]).map(({ actorRoot }) => path.join(CORPUS, actorRoot));
}

export function cliProcessBenchmark(): BenchRow[] {
  // Wall times on a shared machine grow with its load: say what it was.
  progress(`load average ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} on ${os.cpus().length} cores`);
  progress('greenroom: one warm-up run (it writes the V8 code cache every later start reuses)');
  greenroomMillis(EXAMPLE);
  const rows: BenchRow[] = [];
  const example = { greenroom: [] as number[], apify: [] as number[], node: [] as number[] };
  for (let round = 1; round <= EXAMPLE_ROUNDS; round++) {
    example.node.push(processMillis(['-e', '0'], EXAMPLE));
    example.greenroom.push(greenroomMillis(EXAMPLE));
    if (round <= APIFY_EXAMPLE_ROUNDS) example.apify.push(apifyMillis(EXAMPLE));
    const apify = round <= APIFY_EXAMPLE_ROUNDS ? `, apify-cli ${example.apify[round - 1].toFixed(0)} ms` : '';
    progress(`example, round ${round}/${EXAMPLE_ROUNDS}: node -e 0 ${example.node[round - 1].toFixed(0)} ms, greenroom ${example.greenroom[round - 1].toFixed(0)} ms${apify}`);
  }
  rows.push({ case: 'examples/hello-actor', size: `${EXAMPLE_ROUNDS} / ${APIFY_EXAMPLE_ROUNDS} runs`, medians: { greenroom: quantile(example.greenroom, 0.5), 'apify-cli': quantile(example.apify, 0.5) }, baseline: 'apify-cli', target: '≤ 300 ms, faster than apify-cli' });
  // Node's own start on the same machine at the same moments: what no CLI goes below.
  rows.push({ case: 'node -e 0 (Node alone)', size: `${EXAMPLE_ROUNDS} runs`, medians: { node: quantile(example.node, 0.5) }, target: 'the floor' });

  const actors = corpusActors();
  if (actors.length === 0) {
    progress(`no corpus at ${CORPUS}: example only`);
    return rows;
  }
  const everyActor = actors.map((actor, index) => {
    const millis = greenroomMillis(actor);
    if ((index + 1) % 10 === 0 || index + 1 === actors.length) progress(`corpus, greenroom: ${index + 1}/${actors.length} Actors`);
    return millis;
  });
  // apify-cli reads only .actor/actor.json: an even sample of the Actors that have one.
  const modern = actors.map((actor, index) => ({ actor, index })).filter(({ actor }) => fs.existsSync(path.join(actor, '.actor', 'actor.json')));
  const sample = modern.filter((_, position) => position % Math.max(1, Math.floor(modern.length / APIFY_SAMPLE)) === 0).slice(0, APIFY_SAMPLE);
  const pairs = sample.map(({ actor, index }, position) => {
    const apify = apifyMillis(actor);
    progress(`corpus sample, apify-cli: ${position + 1}/${sample.length} (${path.relative(CORPUS, actor)}: ${apify.toFixed(0)} ms; greenroom ${everyActor[index].toFixed(0)} ms)`);
    return { greenroom: everyActor[index], apify };
  });
  rows.push({
    case: `corpus, all ${actors.length} Actors`, size: 'median',
    medians: { greenroom: quantile(everyActor, 0.5) }, target: `p90 ${quantile(everyActor, 0.9).toFixed(0)} ms, max ${Math.max(...everyActor).toFixed(0)} ms`,
  });
  rows.push({
    case: `corpus, sample of ${pairs.length} with .actor/`, size: 'median',
    medians: { greenroom: quantile(pairs.map((pair) => pair.greenroom), 0.5), 'apify-cli': quantile(pairs.map((pair) => pair.apify), 0.5) }, baseline: 'apify-cli', target: 'faster than apify-cli',
  });
  return rows;
}
