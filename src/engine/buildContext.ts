/** The tar stream sent to `docker build`: the context folder minus what `.dockerignore` excludes. */
import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-fs';
import { GREENROOM_DIR } from './recordStore';

/** Name under which a Dockerfile from outside the context travels inside the tar (as `docker build -f` does). */
const OUTSIDE_DOCKERFILE = '.greenroom.Dockerfile';

export interface BuildContext {
  tar: Readable;
  /** Path of the Dockerfile inside the tar, for the API's `dockerfile` parameter. */
  dockerfile: string;
}

export function packBuildContext(contextDir: string, dockerfile: string): BuildContext {
  const relativeDockerfile = toPosix(relative(contextDir, dockerfile));
  const outside = relativeDockerfile.startsWith('../') || relativeDockerfile === '..';
  let patterns: string[] = [];
  try {
    patterns = readFileSync(`${contextDir}/.dockerignore`, 'utf8').split(/\r?\n/);
  } catch {
    // no .dockerignore: send everything
  }
  const rules = dockerignore({ ignorecase: false }).add(patterns);
  // A `!exception` may re-include a file inside an excluded folder, so folders are only pruned without exceptions.
  const hasExceptions = patterns.some((p) => p.trim().startsWith('!'));
  const alwaysSent = new Set(['.dockerignore', relativeDockerfile]);

  const ignore = (absolute: string): boolean => {
    const rel = toPosix(relative(contextDir, absolute));
    // Greenroom's own records never belong in an image (and would defeat the build cache).
    if (rel === GREENROOM_DIR) return true;
    if (!rel || alwaysSent.has(rel) || !rules.ignores(rel)) return false;
    return !(hasExceptions && isDirectory(absolute));
  };

  const pack = tar.pack(contextDir, {
    ignore,
    finalize: !outside,
    finish: outside
      ? (stream) => {
          stream.entry({ name: OUTSIDE_DOCKERFILE, mode: 0o644 }, readFileSync(dockerfile));
          stream.finalize();
        }
      : undefined,
  });
  return { tar: pack, dockerfile: outside ? OUTSIDE_DOCKERFILE : relativeDockerfile };
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
