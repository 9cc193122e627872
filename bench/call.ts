/**
 * `npm run bench:call`: what `Actor.call()` between two Actors of the workspace costs, against plain Docker, in one
 * run on the same images (test/fixtures/engine/calls-workspace, the real SDK in both):
 *   - the round trip of `Actor.call('calls-callee')` timed inside the caller (start request, the callee's container
 *     start, its run, the caller's wait), the callee's image already built
 *   - the caller's whole run (two containers: the caller's and the callee's), from engine.run() to its end
 *   - two plain `docker run --rm` of the callee's image one after the other (no platform, the SDK in local mode)
 * ROUNDS (default 3) rounds, interleaved; medians printed. Starts a dockerd when none answers (and stops it), makes
 * the base images like the Docker suite, serves the API in this process as the extension does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsStore } from '../src/engine';
import { WorkspacePlatform } from '../src/platform/workspacePlatform';
import { ActorWorkspace } from '../src/workspace';
import { copyFixture, ensureBaseImages, REPO_ROOT, secretsFile, TEST_TMP } from '../test/docker/fixtures';

const ROUNDS = Number(process.env.ROUNDS) || 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (value: number) => `${Math.round(value)} ms`;

async function main(): Promise<void> {
  const startedDockerd = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'start-dockerd.sh')], { encoding: 'utf8' }).trim();
  const madeImages = ensureBaseImages();
  const workspaceRoot = copyFixture('calls-workspace');
  const secrets = new SecretsStore(secretsFile({}), []);
  const platform: WorkspacePlatform = new WorkspacePlatform({ workspaceRoot, workspace: () => workspace });
  const workspace = new ActorWorkspace({ roots: () => [workspaceRoot], engineSettings: () => ({ origin: 'CLI', platform, secrets }) });
  const caller = workspace.engineFor(join(workspaceRoot, 'caller'));
  const callee = workspace.engineFor(join(workspaceRoot, 'callee'));
  try {
    for (const engine of [caller, callee]) {
      const build = await engine.build().finished;
      if (build.status !== 'SUCCEEDED') throw new Error(`fixture build ${build.status}: ${build.statusMessage}`);
    }
    const image = callee.listBuilds()[0].imageName;
    const callOnce = async () => {
      const started = Date.now();
      const run = await (await caller.run({ input: { mode: 'bench' } })).finished;
      const wallMs = Date.now() - started;
      const line = caller.readRunLog(run.id).split('\n').find((l) => l.startsWith('BENCH_CALL_MILLIS '));
      if (run.status !== 'SUCCEEDED' || !line) throw new Error(`the caller's run ${run.status}:\n${caller.readRunLog(run.id).slice(-3000)}`);
      const [millis, status] = line.slice('BENCH_CALL_MILLIS '.length).split(' ');
      if (status !== 'SUCCEEDED') throw new Error(`the callee's run ${status}`);
      return { callMs: Number(millis), wallMs };
    };
    const dockerRun = () => {
      const started = Date.now();
      const result = spawnSync('docker', ['run', '--rm', image], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`docker run ${image} exited ${result.status}: ${result.stderr}`);
      return Date.now() - started;
    };
    // Warm-up: the first container of an image and the first API calls cost more than the rest.
    await callOnce();
    dockerRun();
    const calls: number[] = [];
    const walls: number[] = [];
    const pairs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const { callMs, wallMs } = await callOnce();
      const first = dockerRun();
      const second = dockerRun();
      calls.push(callMs);
      walls.push(wallMs);
      pairs.push(first + second);
      console.log(`round ${round}: Actor.call round trip ${ms(callMs)}, caller's run ${ms(wallMs)}; two docker runs ${ms(first)} + ${ms(second)} = ${ms(first + second)}`);
    }
    const [call, wall, pair] = [median(calls), median(walls), median(pairs)];
    console.log(`\nMedians of ${ROUNDS} rounds (image ${image}):`);
    console.log(`  Actor.call round trip (inside the caller):      ${ms(call)}  = ${(call / (pair / 2)).toFixed(2)}× one plain docker run`);
    console.log(`  the caller's run, two containers (engine.run):  ${ms(wall)}  = ${(wall / pair).toFixed(2)}× two plain docker runs`);
    console.log(`  two plain docker runs one after the other:      ${ms(pair)}`);
  } finally {
    await platform.close();
    const images = [caller, callee].flatMap((engine) => engine.listBuilds().map((b) => b.imageName));
    workspace.dispose();
    if (images.length) spawnSync('docker', ['rmi', '-f', ...new Set(images)], { stdio: 'ignore' });
    if (!process.env.GREENROOM_KEEP_TEST_IMAGES) for (const made of madeImages) spawnSync('docker', ['rmi', '-f', made], { stdio: 'ignore' });
    rmSync(TEST_TMP, { recursive: true, force: true });
    if (startedDockerd) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'stop-dockerd.sh'), startedDockerd]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
