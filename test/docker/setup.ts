/**
 * Mocha root hooks for the Docker suite: start a dockerd when none answers (and stop exactly that one,
 * by PID, at the end), make the base images, and remove every container and image the suite created.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { docker, ensureBaseImages, REPO_ROOT, TEST_TMP } from './fixtures';

let startedDockerdPid: string | undefined;
let madeImages: string[] = [];

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    this.timeout(300_000);
    const pid = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'start-dockerd.sh')], { encoding: 'utf8' }).trim();
    if (pid) {
      startedDockerdPid = pid;
      process.env.GREENROOM_TEST_STARTED_DOCKERD = pid;
    }
    const made = ensureBaseImages();
    // Kept on request to make repeated local runs faster.
    madeImages = process.env.GREENROOM_KEEP_TEST_IMAGES ? [] : made;
  },

  afterAll(this: Mocha.Context): void {
    this.timeout(120_000);
    removeCreatedByTests();
    for (const image of madeImages) docker(['rmi', '-f', image]);
    rmSync(TEST_TMP, { recursive: true, force: true });
    if (startedDockerdPid) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'stop-dockerd.sh'), startedDockerdPid]);
  },
};

/** Containers labelled with an Actor folder inside this suite's temporary folder, and the images its builds made. */
function removeCreatedByTests(): void {
  const containers = docker(['ps', '-a', '--filter', 'label=dev.greenroom.actor-root', '--format', '{{.ID}}\t{{.Labels}}'])
    .split('\n')
    .filter((line) => line.includes(TEST_TMP))
    .map((line) => line.split('\t')[0]);
  if (containers.length) docker(['rm', '-f', ...containers]);
  const images = builtImages();
  // Some were deleted by the tests already: ignore "No such image".
  if (images.length) spawnSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore' });
}

/** Image names from the build records of every Actor copy the suite made. */
function builtImages(): string[] {
  if (!existsSync(TEST_TMP)) return [];
  const names = new Set<string>();
  for (const actor of readdirSync(TEST_TMP)) {
    const builds = join(TEST_TMP, actor, '.greenroom', 'builds');
    if (!existsSync(builds)) continue;
    for (const file of readdirSync(builds).filter((f) => f.endsWith('.json'))) {
      try {
        names.add((JSON.parse(readFileSync(join(builds, file), 'utf8')) as { imageName: string }).imageName);
      } catch {
        // corrupt-record fixtures
      }
    }
  }
  return [...names];
}
