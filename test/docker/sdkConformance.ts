/**
 * The Apify JS SDK's own end-to-end test Actors (`../shared/conformance/apify-sdk-js-e2e`, found through
 * GREENROOM_CONFORMANCE) run against Greenroom's local platform as the SDK's runner (test/e2e/runSdkTests.mjs of
 * apify/apify-sdk-js) runs them against the real one: each test folder laid over `actorBase/`, built, and its
 * `test.mjs` run with the Actor's id as `process.argv[2]` and `APIFY_TOKEN` set. What differs, and only that:
 * the Dockerfile (offline, on the local base image) and the base URL in test.mjs's one `new ApifyClient({…})`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTOR_NODE_IMAGE, APIFY_SDK_VERSION, REPO_ROOT, TEST_TMP } from './fixtures';

/** The folder `.ci/run` names when `../shared/conformance/apify-sdk-js-e2e` exists; unset: the suite skips. */
export const CONFORMANCE_DIR = process.env.GREENROOM_CONFORMANCE;

export interface ConformanceTest {
  /** The test Actor's folder in the conformance data. */
  name: string;
  /** Must pass here (issue 10); the others are run and reported. */
  required: boolean;
  /** Why a test that is not required fails here, as far as known (printed beside its result). */
  knownGap?: string;
}

const OWN_CLIENT =
  "the Actor's own code makes `new ApifyClient({ token })`, whose base URL is the public API (apify-client reads no base URL from the environment): unreachable offline, and a harness may only change test.mjs";

export const CONFORMANCE_TESTS: ConformanceTest[] = [
  { name: 'helloWorld', required: true },
  { name: 'actorInput', required: true },
  { name: 'multiStorage', required: true },
  { name: 'publicUrl', required: true },
  { name: 'actorCharge', required: true },
  { name: 'actorChargeLocal', required: false, knownGap: OWN_CLIENT },
  { name: 'actorPushDataPPE', required: true },
  { name: 'actorPushDataSynth', required: true },
  { name: 'multiStorageLocal', required: false, knownGap: OWN_CLIENT },
];

/**
 * Stands in for actorBase/.actor/Dockerfile, which builds on `node:22` and `apify/actor-node:22` (not pullable here)
 * and installs the SDK from the repository's `apify.tgz`. The local stand-in of `apify/actor-node` already carries
 * the SDK from npm (APIFY_SDK_VERSION, the repository's version at the data's commit) in node_modules; the rest is
 * the original's: the same files copied, the same command.
 */
export const OFFLINE_DOCKERFILE = `# Greenroom's offline stand-in for the SDK e2e actorBase Dockerfile (see test/docker/sdkConformance.ts)
FROM ${ACTOR_NODE_IMAGE}
COPY /package*.json ./
COPY /.actor ./.actor
COPY /src ./src
CMD npm start --silent
`;

/**
 * The test Actor as the platform's source files make it: every file of `actorBase/`, then the test's own `.actor/`
 * and `src/` over them (file by file, as the runner's `{...base, ...test}`), with the offline Dockerfile. Returns the
 * Actor's folder, `<workspace>/<name>`.
 */
export function assembleTestActor(name: string, workspace: string): string {
  if (!CONFORMANCE_DIR) throw new Error('GREENROOM_CONFORMANCE is not set');
  const actorRoot = join(workspace, name);
  cpSync(join(CONFORMANCE_DIR, 'actorBase'), actorRoot, { recursive: true });
  for (const part of ['.actor', 'src']) {
    const own = join(CONFORMANCE_DIR, name, part);
    if (existsSync(own)) cpSync(own, join(actorRoot, part), { recursive: true });
  }
  writeFileSync(join(actorRoot, '.actor', 'Dockerfile'), OFFLINE_DOCKERFILE);
  return actorRoot;
}

const CLIENT_CONSTRUCTOR = 'new ApifyClient({';

/** test.mjs with its one `new ApifyClient({…})` given `baseUrl` first; anything else in the file is left as it is. */
export function pointClientAt(testSource: string, baseUrl: string): string {
  const calls = testSource.split(CLIENT_CONSTRUCTOR).length - 1;
  if (calls !== 1) throw new Error(`test.mjs has ${calls} \`${CLIENT_CONSTRUCTOR}…})\` calls; the harness rewrites exactly one`);
  return testSource.replace(CLIENT_CONSTRUCTOR, `${CLIENT_CONSTRUCTOR} baseUrl: ${JSON.stringify(baseUrl)},`);
}

/** Where test.mjs finds `apify` and `crawlee` (the SDK repository's dev dependency), installed once from npm. */
const RUNNER_CACHE = join(REPO_ROOT, 'test-artifacts', 'engine-cache', 'sdk-e2e-runner');
const RUNNER_PACKAGES = [`apify@${APIFY_SDK_VERSION}`, 'crawlee@3'];

export function ensureTestRunner(): string {
  const stamp = join(RUNNER_CACHE, '.installed');
  const wanted = RUNNER_PACKAGES.join(' ');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    mkdirSync(RUNNER_CACHE, { recursive: true });
    writeFileSync(join(RUNNER_CACHE, 'package.json'), JSON.stringify({ private: true, description: "Greenroom test cache: what the SDK's e2e test.mjs files import" }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...RUNNER_PACKAGES], { cwd: RUNNER_CACHE, stdio: 'inherit' });
    writeFileSync(stamp, wanted);
  }
  return join(RUNNER_CACHE, 'node_modules');
}

export interface TestScriptResult {
  passed: boolean;
  exitCode: number | null;
  seconds: number;
  output: string;
}

/**
 * Runs the test's test.mjs, rewritten to name `baseUrl`, from a temporary folder whose node_modules is the runner's,
 * with the Actor's id as its argument and the user token as APIFY_TOKEN; nothing else of this process's environment.
 */
export async function runTestScript(name: string, options: { baseUrl: string; token: string; actorId: string; timeoutMs: number }): Promise<TestScriptResult> {
  if (!CONFORMANCE_DIR) throw new Error('GREENROOM_CONFORMANCE is not set');
  mkdirSync(TEST_TMP, { recursive: true });
  const folder = mkdtempSync(join(TEST_TMP, `sdk-e2e-${name}-`));
  symlinkSync(ensureTestRunner(), join(folder, 'node_modules'), 'dir');
  const script = join(folder, 'test.mjs');
  writeFileSync(script, pointClientAt(readFileSync(join(CONFORMANCE_DIR, name, 'test.mjs'), 'utf8'), options.baseUrl));
  const started = Date.now();
  const child = spawn(process.execPath, [script, options.actorId], {
    cwd: folder,
    env: { PATH: process.env.PATH, HOME: folder, APIFY_TOKEN: options.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    output += `\n[harness] test.mjs still running after ${options.timeoutMs / 1000} s: killed\n`;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { passed: exitCode === 0, exitCode, seconds: (Date.now() - started) / 1000, output };
}

/** The lines of a failed test.mjs's output that say why (assertion messages, errors, node:test's `not ok`). */
export function failureSummary(output: string): string {
  const telling = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(not ok|error:|AssertionError|Error|ApifyApiError|TypeError|\[harness\])|^(message|type|statusCode|path):|^(actual|expected):/i.test(line));
  return (telling.length ? telling : output.trim().split('\n').slice(-5)).slice(0, 8).join(' | ');
}

/** The test folders of the conformance data (for a check that the table above names them all). */
export function conformanceFolders(): string[] {
  if (!CONFORMANCE_DIR) return [];
  return readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'actorBase')
    .map((entry) => entry.name)
    .sort();
}
