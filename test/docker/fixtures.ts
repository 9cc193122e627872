/**
 * Docker test fixtures: the base images (no registry here, so `docker import` of the host's node and
 * busybox), the real Apify SDK installed once into a cache, and throw-away copies of the fixture Actors.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const NODE_BASE_IMAGE = 'greenroom-test/node-base:20';
export const APIFY_BASE_IMAGE = 'greenroom-test/apify-node:20';
/**
 * Stand-in for the platform's `apify/actor-node:20` (which cannot be pulled here), so the example Actor builds
 * offline: the SDK image plus the host's npm, whose `npm install` finds the SDK already in node_modules.
 */
export const ACTOR_NODE_IMAGE = 'apify/actor-node:20';
/** The host's Debian python3 as an image (no SDK can be installed here; no debugpy either: a debug run brings it). */
export const PYTHON_BASE_IMAGE = 'greenroom-test/python-base:3';
/**
 * The SDK version the base image carries: the version of apify/apify-sdk-js at the commit the conformance data
 * comes from (7249e73, 2026-08-20), which is also npm's `latest` of `apify`. Bump both together
 * (docs/platform.md#conformance), and package.json's `@crawlee/core` pin with them (the Crawlee this SDK installs). The
 * install is cached under test-artifacts/ (git-ignored).
 */
export const APIFY_SDK_VERSION = '3.7.2';
const APIFY_SDK_SPEC = `apify@${APIFY_SDK_VERSION}`;
/** Label naming the SDK an image carries, so that a version bump makes the base images anew. */
const SDK_LABEL = 'dev.greenroom.apify-sdk';
const SDK_CACHE = join(REPO_ROOT, 'test-artifacts', 'engine-cache', 'apify-sdk');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'engine');

/** Every temporary Actor copy lives below this folder, so clean-up finds them all. */
export const TEST_TMP = join(tmpdir(), `greenroom-docker-tests-${process.pid}`);

export function docker(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync('docker', args, { encoding: 'utf8', input: options.input, env: { ...process.env, DOCKER_BUILDKIT: '0', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function imageExists(name: string): boolean {
  try {
    docker(['image', 'inspect', name]);
    return true;
  } catch {
    return false;
  }
}

/** True when the image exists and carries the pinned SDK (its label; images built FROM it inherit the label). */
function carriesPinnedSdk(name: string): boolean {
  try {
    return docker(['image', 'inspect', '--format', `{{index .Config.Labels "${SDK_LABEL}"}}`, name]).trim() === APIFY_SDK_VERSION;
  } catch {
    return false;
  }
}

/** Makes the base images when missing; returns the names of those it made (for clean-up). */
export function ensureBaseImages(): string[] {
  const made: string[] = [];
  if (!imageExists(NODE_BASE_IMAGE)) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'make-base-image.sh'), NODE_BASE_IMAGE], { stdio: 'inherit' });
    made.push(NODE_BASE_IMAGE);
  }
  if (!carriesPinnedSdk(APIFY_BASE_IMAGE)) {
    installSdk();
    const context = mkdtempSync(join(tmpdir(), 'greenroom-sdk-image-'));
    try {
      cpSync(join(SDK_CACHE, 'node_modules'), join(context, 'node_modules'), { recursive: true });
      writeFileSync(join(context, 'Dockerfile'), `FROM ${NODE_BASE_IMAGE}\nLABEL ${SDK_LABEL}=${APIFY_SDK_VERSION}\nCOPY node_modules /usr/src/app/node_modules\n`);
      docker(['build', '-q', '-t', APIFY_BASE_IMAGE, context]);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    made.push(APIFY_BASE_IMAGE);
  }
  if (!carriesPinnedSdk(ACTOR_NODE_IMAGE)) {
    const context = mkdtempSync(join(tmpdir(), 'greenroom-actor-node-image-'));
    try {
      // The host's own npm, from its global folder (`npm root -g`).
      cpSync(join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm'), join(context, 'npm'), { recursive: true });
      writeFileSync(join(context, 'npm.sh'), '#!/bin/sh\nexec node /usr/lib/node_modules/npm/bin/npm-cli.js "$@"\n', { mode: 0o755 });
      // npm in the image reaches the registry the way the host does: through the host's extra CA (a TLS proxy), if any.
      const extraCa = process.env.NODE_EXTRA_CA_CERTS;
      if (extraCa) cpSync(extraCa, join(context, 'extra-ca.crt'));
      const caLines = extraCa ? 'COPY extra-ca.crt /etc/ssl/certs/extra-ca.crt\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/extra-ca.crt\n' : '';
      writeFileSync(join(context, 'Dockerfile'), `FROM ${APIFY_BASE_IMAGE}\nCOPY npm /usr/lib/node_modules/npm\nCOPY npm.sh /usr/bin/npm\nENV HOME=/root\n${caLines}`);
      docker(['build', '-q', '-t', ACTOR_NODE_IMAGE, context]);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    made.push(ACTOR_NODE_IMAGE);
  }
  return made;
}

/** Makes the Python base image when missing (only the tests that need it call this); true when it made it. */
export function ensurePythonBaseImage(): boolean {
  if (imageExists(PYTHON_BASE_IMAGE)) return false;
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'docker', 'make-python-base-image.sh'), PYTHON_BASE_IMAGE], { stdio: 'inherit' });
  return true;
}

/** `npm install apify` once into the cache (the npm registry is reachable; nothing else is). */
function installSdk(): void {
  const stamp = join(SDK_CACHE, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === APIFY_SDK_SPEC) return;
  mkdirSync(SDK_CACHE, { recursive: true });
  writeFileSync(join(SDK_CACHE, 'package.json'), JSON.stringify({ private: true, description: 'Greenroom test cache: the Apify SDK for fixture Actors' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', APIFY_SDK_SPEC], { cwd: SDK_CACHE, stdio: 'inherit' });
  writeFileSync(stamp, APIFY_SDK_SPEC);
}

/** A fresh copy of a fixture Actor (sdk-actor, shell-actor) in a temporary folder. */
export function copyFixture(name: string): string {
  mkdirSync(TEST_TMP, { recursive: true });
  const target = mkdtempSync(join(TEST_TMP, `${name}-`));
  cpSync(join(FIXTURES, name), target, { recursive: true });
  return target;
}

/** A secrets file for tests, so nobody's ~/.greenroom is read or written. */
export function secretsFile(secrets: Record<string, string>): string {
  mkdirSync(TEST_TMP, { recursive: true });
  const file = join(mkdtempSync(join(TEST_TMP, 'secrets-')), 'secrets.json');
  writeFileSync(file, JSON.stringify(secrets));
  return file;
}
