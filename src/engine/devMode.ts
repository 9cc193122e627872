/**
 * Dev mode (docs/debugging.md#dev-mode): the built image runs with the Actor's source mounted read-only over the
 * image's working directory, so source edits run without a build. Each top-level entry of the build context is
 * bound on its own, so the image's installed dependencies (node_modules, a Python virtualenv) stay visible
 * underneath, and the storage folders are never exposed to the container.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { RunOptionsError } from './runs';
import type { BuildRecord } from './types';

/**
 * Entries of the Actor's folder that dev mode does not mount: the storages and Greenroom's records (an at-home run
 * reaches storages through the API only), and installed dependencies (the image's own stay in place).
 */
export const DEV_MODE_EXCLUDED: ReadonlySet<string> = new Set(['storage', '.greenroom', 'node_modules', '.venv', 'venv', '__pycache__', '.git']);

/** The files whose change needs a build: the dependencies are installed in the image, dev mode does not install. */
export const DEPENDENCY_FILES = ['package.json', 'requirements.txt'];

/**
 * Read-only binds of the source folder's entries over the image's working directory: what a build's `COPY . ./`
 * copies, so not what `.dockerignore` excludes either (a folder with `!exceptions` inside is bound whole).
 */
export function devModeBinds(sourceDir: string, workingDir: string | undefined): string[] {
  if (!workingDir || workingDir === '/') {
    throw new RunOptionsError('Dev mode needs the image to set a working directory (WORKDIR in the Dockerfile, e.g. WORKDIR /usr/src/app) to mount the source over');
  }
  const ignored = dockerignoreRules(sourceDir);
  return readdirSync(sourceDir)
    .filter((name) => !DEV_MODE_EXCLUDED.has(name) && !ignored(name))
    .sort()
    .map((name) => `${join(sourceDir, name)}:${posix.join(workingDir, name)}:ro`);
}

function dockerignoreRules(dir: string): (name: string) => boolean {
  const text = readOrUndefined(join(dir, '.dockerignore'))?.toString('utf8');
  if (!text) return () => false;
  const rules = dockerignore({ ignorecase: false }).add(text.split(/\r?\n/));
  return (name) => name !== '.dockerignore' && rules.ignores(name);
}

/** SHA-256 of each dependency file present in the folder (recorded with a build). */
export function dependencyDigests(dir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const file of DEPENDENCY_FILES) {
    const content = readOrUndefined(join(dir, file));
    if (content !== undefined) digests[file] = createHash('sha256').update(content).digest('hex');
  }
  return digests;
}

/** The dependency files that differ from the build's (added, changed or removed); none when the build did not record them. */
export function changedDependencyFiles(build: BuildRecord, dir: string): string[] {
  const built = build.greenroom.dependencyDigests;
  if (!built) return [];
  const now = dependencyDigests(dir);
  return DEPENDENCY_FILES.filter((file) => built[file] !== now[file]);
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
