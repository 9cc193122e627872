/**
 * `npm run bench:platform`: the local platform's cost over local mode, measured in one run on the same Actor (the
 * real SDK, test/fixtures/engine/storage-load-actor) and the same build:
 *   - 100,000 `pushData` items (calls of 1,000; the SDK splits each call into its own batches)
 *   - 20,000 request-queue requests added (calls of 1,000), fetched and marked handled
 *   - 1,000 key-value records written and read back
 * each phase timed inside the Actor (container start-up excluded), in local mode (storages bind-mounted, the SDK's
 * file storage) and at home (everything through the local API). Targets: at home ≤ 1.5× local for the dataset and
 * the records, ≤ 2× for the queue. Then the API's p50/p99 latency per route under that load.
 * BENCH_SCALE (default 1) scales the counts for a quick look. Starts a dockerd when none answers (and stops it),
 * makes the base images like the Docker suite, serves the API in this process as the extension does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageMode } from '../src/engine/platformLink';
import type { RunRecord } from '../src/engine/types';
import { RouteLatency } from '../src/platform';
import { WorkspacePlatform } from '../src/platform/workspacePlatform';
import { StorageReader } from '../src/storage';
import { ActorWorkspace } from '../src/workspace';
import { SecretsStore } from '../src/engine';
import { copyFixture, ensureBaseImages, REPO_ROOT, secretsFile, TEST_TMP } from '../test/docker/fixtures';

const SCALE = Number(process.env.BENCH_SCALE) || 1;
const LOAD = {
  items: Math.round(100_000 * SCALE),
  itemsPerCall: 1000,
  requests: Math.round(20_000 * SCALE),
  requestsPerCall: 1000,
  records: Math.round(1000 * SCALE),
};
type Phase = 'dataset' | 'requestQueue' | 'keyValueStore';
const TARGETS: Record<Phase, number> = { dataset: 1.5, requestQueue: 2, keyValueStore: 1.5 };
const OPERATIONS: Record<Phase, { count: number; unit: string }> = {
  dataset: { count: LOAD.items, unit: 'items' },
  requestQueue: { count: LOAD.requests, unit: 'requests' },
  keyValueStore: { count: LOAD.records * 2, unit: 'record writes+reads' },
};

interface Measured {
  run: RunRecord;
  /** Each phase's time; at home also the records as bare HTTP requests. */
  millis: Record<Phase, number> & { keyValueStoreHttpFloor?: number };
  wallMs: number;
}

async function measure(workspace: ActorWorkspace, actorRoot: string, storageMode: StorageMode): Promise<Measured> {
  const engine = workspace.engineFor(actorRoot);
  const started = Date.now();
  const run = await (await engine.run({ input: LOAD, storageMode, memoryMbytes: 4096, timeoutSecs: 0 })).finished;
  const wallMs = Date.now() - started;
  const log = engine.readRunLog(run.id);
  if (run.status !== 'SUCCEEDED') throw new Error(`${storageMode} run ${run.status}:\n${log.slice(-3000)}`);
  const line = log.split('\n').find((l) => l.startsWith('BENCH_MILLIS '));
  if (!line) throw new Error(`${storageMode} run printed no BENCH_MILLIS line:\n${log.slice(-3000)}`);
  const items = new StorageReader(run.greenroom.storageDir).datasetItemCount(run.defaultDatasetId);
  if (items !== LOAD.items) throw new Error(`${storageMode} run left ${items} items in its dataset, not ${LOAD.items}`);
  return { run, millis: JSON.parse(line.slice('BENCH_MILLIS '.length)), wallMs };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const startedDockerd = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'start-dockerd.sh')], { encoding: 'utf8' }).trim();
  const madeImages = ensureBaseImages();
  const actorRoot = copyFixture('storage-load-actor');
  const routeLatency = new RouteLatency();
  const secrets = new SecretsStore(secretsFile({}), []);
  const platform: WorkspacePlatform = new WorkspacePlatform({ workspaceRoot: actorRoot, workspace: () => workspace, routeLatency });
  const workspace = new ActorWorkspace({ roots: () => [actorRoot], engineSettings: () => ({ origin: 'CLI', platform, secrets }) });
  let met = false;
  try {
    const engine = workspace.engineFor(actorRoot);
    const build = await engine.build().finished;
    if (build.status !== 'SUCCEEDED') throw new Error(`fixture build ${build.status}: ${build.statusMessage}`);
    console.log(
      `Load: ${LOAD.items.toLocaleString('en')} items, ${LOAD.requests.toLocaleString('en')} requests, ${LOAD.records.toLocaleString('en')} records ` +
        `(BENCH_SCALE=${SCALE}); each phase timed inside the Actor`,
    );
    const local = await measure(workspace, actorRoot, 'local');
    console.log(`local mode: run ${seconds(local.wallMs)} wall`);
    routeLatency.clear();
    const atHome = await measure(workspace, actorRoot, 'at-home');
    console.log(`at home:    run ${seconds(atHome.wallMs)} wall`);

    const verdicts = (Object.keys(TARGETS) as Phase[]).map((phase) => {
      const ratio = atHome.millis[phase] / local.millis[phase];
      const ok = ratio <= TARGETS[phase];
      const { count, unit } = OPERATIONS[phase];
      const rate = (ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString('en')} ${unit}/s`;
      console.log(
        `${phase.padEnd(13)}: local ${seconds(local.millis[phase]).padStart(8)} (${rate(local.millis[phase])}), ` +
          `at home ${seconds(atHome.millis[phase]).padStart(8)} (${rate(atHome.millis[phase])}), ratio ${ratio.toFixed(2)} (target ≤ ${TARGETS[phase]}) ${ok ? 'OK' : 'OVER'}`,
      );
      return ok;
    });
    met = verdicts.every(Boolean);
    const floor = atHome.millis.keyValueStoreHttpFloor;
    if (floor !== undefined) {
      console.log(
        `  the records' floor: the same ${OPERATIONS.keyValueStore.count.toLocaleString('en')} writes+reads as bare HTTP requests from the container (fetch, kept alive, no SDK) take ${seconds(floor)}, ` +
          `${(floor / local.millis.keyValueStore).toFixed(2)}× local; the SDK and apify-client add ${seconds(Math.max(0, atHome.millis.keyValueStore - floor))} over it`,
      );
    }

    console.log('\nAPI latency per route during the at-home run:');
    console.log(`${'route'.padEnd(64)} ${'calls'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const s of routeLatency.summary()) {
      console.log(`${s.route.padEnd(64)} ${String(s.count).padStart(8)} ${s.p50Ms.toFixed(2).padStart(8)} ${s.p99Ms.toFixed(2).padStart(8)} ${s.maxMs.toFixed(1).padStart(8)}`);
    }
  } finally {
    await platform.close();
    const images = workspace.engineFor(actorRoot).listBuilds().map((b) => b.imageName);
    workspace.dispose();
    if (images.length) spawnSync('docker', ['rmi', '-f', ...new Set(images)], { stdio: 'ignore' });
    if (!process.env.GREENROOM_KEEP_TEST_IMAGES) for (const image of madeImages) spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    rmSync(TEST_TMP, { recursive: true, force: true });
    if (startedDockerd) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'stop-dockerd.sh'), startedDockerd]);
  }
  console.log(met ? '\nbench:platform: all targets met' : '\nbench:platform: some targets missed');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
