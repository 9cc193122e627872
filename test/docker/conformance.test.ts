/**
 * Conformance measured against code no one here wrote: the Apify JS SDK's own e2e test Actors, built offline and
 * run at home on the local platform, checked by their own test.mjs through apify-client (sdkConformance.ts).
 * Skips when the conformance data is absent (GREENROOM_CONFORMANCE unset: a user's clone); CI sets it.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actorIdOf } from '../../src/engine';
import { APIFY_SDK_VERSION, docker, REPO_ROOT, TEST_TMP } from './fixtures';
import { makeEngine } from './helpers';
import { servePlatform } from './platformProcess';
import { assembleTestActor, CONFORMANCE_DIR, CONFORMANCE_TESTS, conformanceFolders, ensureTestRunner, failureSummary, pointClientAt, runTestScript, type ConformanceTest, type TestScriptResult } from './sdkConformance';

/** actorInput and multiStorage sleep 6 s after each run ("wait for MongoDB"), the charging tests up to 9 s, three runs each. */
const SCRIPT_TIMEOUT_MS = 240_000;
/** A test that is only reported gets less: the two `…Local` ones otherwise spend 4 minutes on apify-client's retries of api.apify.com. */
const REPORTED_SCRIPT_TIMEOUT_MS = 30_000;
/** The test Actors run three at a time: most of each one's time is its own waiting (sleeps between runs, retries). */
const AT_ONCE = 3;

interface Checked {
  build: { ok: boolean; log: string };
  result?: TestScriptResult;
  platformOutput: string;
  runLogs: string;
}

interface Outcome {
  name: string;
  required: boolean;
  passed: boolean;
  seconds: number;
  why: string;
}

describe('SDK e2e conformance: apify-sdk-js test Actors on the local platform', function () {
  this.timeout(SCRIPT_TIMEOUT_MS + 120_000);
  const outcomes: Outcome[] = [];
  /** Each test Actor's check, started in `before` (AT_ONCE at a time) and awaited by its own test. */
  let checks = new Map<string, Promise<Checked>>();

  before(function () {
    if (!CONFORMANCE_DIR) this.skip();
    this.timeout(300_000);
    ensureTestRunner();
    checks = startChecks();
  });

  after(function () {
    if (!outcomes.length) return;
    const lines = [
      `SDK e2e conformance (apify ${APIFY_SDK_VERSION} in the base image; data: ${CONFORMANCE_DIR})`,
      ...outcomes.map((o) => `  ${o.passed ? 'PASS' : 'FAIL'}  ${o.name.padEnd(19)} ${o.required ? 'required' : 'reported'}  ${o.seconds.toFixed(1).padStart(5)} s${o.why ? `  ${o.why}` : ''}`),
    ];
    console.log(lines.join('\n'));
    const folder = join(REPO_ROOT, 'test-artifacts', 'conformance');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'results.json'), JSON.stringify(outcomes, null, 2));
  });

  it('knows every test folder of the data', () => {
    assert.deepEqual(conformanceFolders(), CONFORMANCE_TESTS.map((t) => t.name).sort());
  });

  it('rewrites only the ApifyClient constructor call of each test.mjs', () => {
    for (const { name } of CONFORMANCE_TESTS) {
      const original = readFileSync(join(CONFORMANCE_DIR!, name, 'test.mjs'), 'utf8');
      const rewritten = pointClientAt(original, 'http://127.0.0.1:1');
      assert.equal(rewritten.replace(' baseUrl: "http://127.0.0.1:1",', ''), original, name);
    }
  });

  it('the base image carries the pinned SDK', () => {
    const version = docker(['run', '--rm', '--entrypoint', 'node', 'apify/actor-node:20', '-p', "require('apify/package.json').version"]).trim();
    assert.equal(version, APIFY_SDK_VERSION);
  });

  for (const test of CONFORMANCE_TESTS) {
    it(`${test.name}${test.required ? '' : ' (reported, not required)'}`, async () => {
      const { build, result, platformOutput, runLogs } = await checks.get(test.name)!;
      assert.ok(build.ok && result, build.log);
      const why = result.passed ? (test.knownGap ? 'passes now: make it required' : '') : `${failureSummary(result.output)}${test.knownGap ? ` (known gap: ${test.knownGap})` : ''}`;
      outcomes.push({ name: test.name, required: test.required, passed: result.passed, seconds: result.seconds, why });
      if (test.required) assert.ok(result.passed, `${test.name}'s test.mjs exited with ${result.exitCode}:\n${result.output}\n--- greenroom serve ---\n${platformOutput}\n${runLogs}`);
      if (!result.passed && !test.required) console.log(`${test.name}: test.mjs output:\n${result.output}\n${runLogs}`);
    });
  }
});

/** Starts every test Actor's check, AT_ONCE at a time, in the order of the tests. */
function startChecks(): Map<string, Promise<Checked>> {
  const checks = new Map<string, Promise<Checked>>();
  const slots: (() => void)[] = [];
  let free = AT_ONCE;
  const slot = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((resolve) => slots.push(resolve)));
  const release = () => (slots.length ? slots.shift()!() : free++);
  for (const test of CONFORMANCE_TESTS) {
    // A check that throws fails its own test (and never goes unhandled while the tests before it run).
    const failed = (error: Error): Checked => ({ build: { ok: false, log: `${test.name}: ${error.stack}` }, platformOutput: '', runLogs: '' });
    checks.set(test.name, slot().then(() => check(test).catch(failed).finally(release)));
  }
  return checks;
}

/** Builds one test Actor offline, serves the platform for it and runs its test.mjs against it. */
async function check(test: ConformanceTest): Promise<Checked> {
  mkdirSync(TEST_TMP, { recursive: true });
  const workspace = mkdtempSync(join(TEST_TMP, `sdk-e2e-workspace-${test.name}-`));
  const actorRoot = assembleTestActor(test.name, workspace);
  const engine = makeEngine(actorRoot);
  const build = await engine.build().finished;
  const actorName = engine.definition().name;
  const buildLog = engine.readBuildLog(build.id);
  engine.dispose();
  if (build.status !== 'SUCCEEDED') return { build: { ok: false, log: `${test.name}'s build ${build.status}:\n${buildLog}` }, platformOutput: '', runLogs: '' };

  const platform = await servePlatform(workspace);
  let result: TestScriptResult;
  try {
    result = await runTestScript(test.name, { baseUrl: platform.url, token: platform.token, actorId: actorIdOf(actorName), timeoutMs: test.required ? SCRIPT_TIMEOUT_MS : REPORTED_SCRIPT_TIMEOUT_MS });
  } finally {
    await platform.close();
  }
  return { build: { ok: true, log: '' }, result, platformOutput: platform.output(), runLogs: runLogTails(actorRoot) };
}

/** The end of each run's log (what the Actor itself said), newest run last. */
function runLogTails(actorRoot: string): string {
  const engine = makeEngine(actorRoot);
  try {
    return engine
      .listRuns()
      .reverse()
      .map((run) => `--- run ${run.id} ${run.status} (exit ${run.exitCode}) ---\n${engine.readRunLog(run.id).trimEnd().split('\n').slice(-25).join('\n')}`)
      .join('\n');
  } finally {
    engine.dispose();
  }
}
