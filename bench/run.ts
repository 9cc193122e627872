/**
 * `npm run bench:run`: Greenroom's overhead over plain Docker, measured in the same session.
 *   1. median wall time of `greenroom run` vs `docker run --rm` of the same image   (target ratio ≤ 1.10),
 *      the web server port published in both (every Greenroom run publishes it, as the platform serves it),
 *      for a trivial shell Actor (pure overhead) and a realistic SDK Actor
 *   2. median wall time of `greenroom build --no-cache` vs `docker build --no-cache` (target ratio ≤ 1.05)
 *   3. log capture of a container printing 1,000,000 lines: all captured?, lines/s, peak memory
 * Starts a dockerd when none answers (and stops it), makes the base images like the Docker suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActorEngine } from '../src/engine';
import { WEB_SERVER_PORT } from '../src/engine/webServerPort';
import { copyFixture, ensureBaseImages, REPO_ROOT, secretsFile, TEST_TMP } from '../test/docker/fixtures';

/** What a Greenroom run does with the Actor's web server port on a local engine, for the baseline too. */
const PUBLISH_WEB_SERVER = ['-p', `127.0.0.1::${WEB_SERVER_PORT}`];

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 7;
const LOG_LINES = 1_000_000;
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DOCKER_BUILDKIT: '0', ...env } });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return millis;
}

let secrets: string | undefined;
function benchSecrets(): string {
  return (secrets ??= secretsFile({ greenroomTestSecret: 'bench' }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Alternates the two commands so drift in the machine's load hits both alike. */
function compare(label: string, target: number, ours: () => number, baseline: () => number): boolean {
  ours();
  baseline(); // warm-up, not counted
  const oursTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    oursTimes.push(ours());
    baseTimes.push(baseline());
  }
  const ratio = median(oursTimes) / median(baseTimes);
  const ok = ratio <= target;
  console.log(`${label}: greenroom ${median(oursTimes).toFixed(0)} ms, docker ${median(baseTimes).toFixed(0)} ms, ratio ${ratio.toFixed(3)} (target ≤ ${target}) ${ok ? 'OK' : 'OVER'}`);
  return ok;
}

async function logCapture(actorRoot: string): Promise<boolean> {
  const engine = new ActorEngine({ actorRoot, origin: 'CLI' });
  let lines = 0;
  let lastLine = '';
  engine.onEvent((event) => {
    if (event.type === 'run-log') {
      lines += event.lines.length;
      lastLine = event.lines[event.lines.length - 1];
    }
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = Date.now();
  const run = await (await engine.run({ env: { MODE: 'lines', LINES: String(LOG_LINES) } })).finished;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const printed = readFileSync(engine.layout.runLog(run.id), 'utf8').split('\n').filter((l) => /^\d+$/.test(l));
  const complete = printed.length === LOG_LINES && printed[LOG_LINES - 1] === String(LOG_LINES) && lastLine.length > 0;
  console.log(
    `log capture: ${printed.length.toLocaleString('en')} of ${LOG_LINES.toLocaleString('en')} numbered lines in the log file, ` +
      `${lines.toLocaleString('en')} lines streamed to subscribers, ${Math.round(LOG_LINES / seconds).toLocaleString('en')} lines/s, ` +
      `peak RSS ${(peakRss / 1e6).toFixed(0)} MB, ${run.status} ${complete ? 'OK' : 'INCOMPLETE'}`,
  );
  engine.dispose();
  return complete && run.status === 'SUCCEEDED';
}

async function main(): Promise<void> {
  const startedDockerd = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'start-dockerd.sh')], { encoding: 'utf8' }).trim();
  const madeImages = ensureBaseImages();
  const results: boolean[] = [];
  const actorRoots: string[] = [];
  try {
    const shellActor = copyFixture('shell-actor');
    actorRoots.push(shellActor);
    const engine = new ActorEngine({ actorRoot: shellActor, origin: 'CLI' });
    const build = await engine.build().finished;
    engine.dispose();
    if (build.status !== 'SUCCEEDED') throw new Error(`fixture build ${build.status}`);

    results.push(
      compare(
        'run (trivial shell Actor)',
        1.1,
        () => timed(process.execPath, [CLI, 'run', shellActor, '--build', build.buildNumber]),
        () => timed('docker', ['run', '--rm', ...PUBLISH_WEB_SERVER, build.imageName]),
      ),
    );

    // A realistic Actor: the real SDK, input, 200 items, so start-up costs weigh as they do in practice.
    const sdkActor = copyFixture('sdk-actor');
    actorRoots.push(sdkActor);
    const sdkEngine = new ActorEngine({ actorRoot: sdkActor, origin: 'CLI' });
    const sdkBuild = await sdkEngine.build().finished;
    sdkEngine.dispose();
    const storage = join(TEST_TMP, 'bench-docker-storage');
    const input = '{"count": 200}';
    results.push(
      compare(
        'run (SDK Actor, 200 items)',
        1.1,
        () => timed(process.execPath, [CLI, 'run', sdkActor, '--build', sdkBuild.buildNumber, '--input', input], { GREENROOM_SECRETS_FILE: benchSecrets() }),
        () => {
          rmSync(storage, { recursive: true, force: true });
          mkdirSync(join(storage, 'key_value_stores', 'default'), { recursive: true });
          writeFileSync(join(storage, 'key_value_stores', 'default', 'INPUT.json'), input);
          return timed('docker', ['run', '--rm', ...PUBLISH_WEB_SERVER, '-v', `${storage}:/s`, '-e', 'CRAWLEE_STORAGE_DIR=/s', '-e', 'MY_SECRET=x', sdkBuild.imageName]);
        },
      ),
    );

    results.push(
      compare(
        'build --no-cache (SDK Actor)',
        1.05,
        () => timed(process.execPath, [CLI, 'build', sdkActor, '--no-cache']),
        () => timed('docker', ['build', '--no-cache', '-q', '-t', 'greenroom-bench/docker-build:latest', sdkActor]),
      ),
    );
    results.push(await logCapture(shellActor));
  } finally {
    spawnSync('docker', ['rmi', '-f', 'greenroom-bench/docker-build:latest'], { stdio: 'ignore' });
    // Images carry no labels: the build records name them.
    const ours = actorRoots.flatMap((actorRoot) => new ActorEngine({ actorRoot, origin: 'CLI' }).listBuilds().map((b) => b.imageName));
    if (ours.length) spawnSync('docker', ['rmi', '-f', ...new Set(ours)], { stdio: 'ignore' });
    if (!process.env.GREENROOM_KEEP_TEST_IMAGES) for (const image of madeImages) spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    rmSync(TEST_TMP, { recursive: true, force: true });
    if (startedDockerd) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'stop-dockerd.sh'), startedDockerd]);
  }
  console.log(results.every(Boolean) ? 'bench:run: all targets met' : 'bench:run: some targets missed');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
