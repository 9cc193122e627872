// The VS Code suite runs Actors in a real Docker engine: the same start/stop scripts and base images as the
// Docker suite (scripts/docker/, test/docker/fixtures.ts), including the `apify/actor-node:20` stand-in the
// example Actor builds FROM. Undone in reverse at the end: containers and images of the suite's runs, the base
// images made here, the dockerd started here (by its PID).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { docker, ensureBaseImages } from '../../docker/fixtures';
import { REPO_ROOT } from './common';

export function startDockerForSuite(workspace: string): () => void {
  const pid = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'docker', 'start-dockerd.sh')], { encoding: 'utf8' }).trim();
  const made = ensureBaseImages();
  const madeImages = process.env.GREENROOM_KEEP_TEST_IMAGES ? [] : made;
  return () => {
    removeSuiteContainersAndImages(workspace);
    for (const image of madeImages) spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    if (pid) execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'docker', 'stop-dockerd.sh'), pid]);
  };
}

function removeSuiteContainersAndImages(workspace: string): void {
  const containers = docker(['ps', '-a', '--filter', 'label=dev.greenroom.actor-root', '--format', '{{.ID}}\t{{.Labels}}'])
    .split('\n')
    .filter((line) => line.includes(workspace))
    .map((line) => line.split('\t')[0]);
  if (containers.length) spawnSync('docker', ['rm', '-f', ...containers], { stdio: 'ignore' });
  const builds = path.join(workspace, '.greenroom', 'builds');
  const images = fs.existsSync(builds)
    ? fs
        .readdirSync(builds)
        .filter((file) => file.endsWith('.json'))
        .map((file) => (JSON.parse(fs.readFileSync(path.join(builds, file), 'utf8')) as { imageName: string }).imageName)
    : [];
  if (images.length) spawnSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore' });
}
