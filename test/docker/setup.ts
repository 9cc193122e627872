/**
 * Mocha root hooks for the Docker suite: start a dockerd when none answers (and stop exactly that one,
 * by PID, at the end), make the base images, and remove every container and image the suite created.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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

/** Containers and images carrying Greenroom's actor-root label that points into this suite's temporary folder. */
function removeCreatedByTests(): void {
  const ours = (labels: string) => labels.includes(TEST_TMP);
  const containers = docker(['ps', '-a', '--filter', 'label=dev.greenroom.actor-root', '--format', '{{.ID}}\t{{.Labels}}'])
    .split('\n')
    .filter((line) => line && ours(line))
    .map((line) => line.split('\t')[0]);
  if (containers.length) docker(['rm', '-f', ...containers]);
  const images = docker(['images', '--filter', 'label=dev.greenroom.actor-root', '--format', '{{.ID}}'])
    .split('\n')
    .filter(Boolean)
    .filter((id) => ours(docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', id])));
  if (images.length) docker(['rmi', '-f', ...new Set(images)]);
}
