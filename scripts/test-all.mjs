// `npm test`: builds once, then every test stage at the same time, each run even when another failed, then a per-stage
// summary. The docker and vscode stages mostly wait on containers and the unit stage is CPU: side by side, on a busy
// machine, they finish well before they would one after the other. The docker stage prints live; the others' output
// is printed once it has ended. The Docker engine and the base images both Docker-using stages share are made here
// first (and cleaned up at the end), so that neither stage stops or removes what the other still uses. `node scripts/test-all.mjs unit docker` builds and runs only those stages (`npm run test:unit` and the
// like). The last line is the aggregate `N passed, N failed` (CI reads it); the exit code is non-zero when the build
// or any stage failed or a stage ran no test. A stage that fails without reporting a failing test (crash, missing
// config) counts as one failure, so that the closing line never says 0 failed for a failed run.
// A stage killed at its time-out gets SIGTERM first: the VS Code launcher then prints every result it has with
// closing counts; a mocha stage killed before its closing counts is counted from its per-test lines.
// Each stage's full output is also kept in test-artifacts/stages/<stage>.log.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE_TIMEOUT_MS = Number(process.env.GREENROOM_STAGE_TIMEOUT_MS) || 30 * 60_000;
const mocha = path.join('node_modules', '.bin', 'mocha');

/** The stages, run at the same time; the first one asked for prints live. */
const allStages = [
  { name: 'docker', usesDocker: true, command: [mocha, ['--config', '.mocharc.docker.json']], needs: ['.mocharc.docker.json'] },
  { name: 'unit', usesDocker: false, command: [mocha, ['--config', '.mocharc.json']], needs: ['.mocharc.json'] },
  { name: 'vscode', usesDocker: true, command: ['node', ['out/test/vscode/launcher/code-server.js']], needs: [] },
];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !allStages.some((stage) => stage.name === name));
if (unknown.length) {
  console.error(`unknown stage ${unknown.join(', ')}: the stages are ${allStages.map((stage) => stage.name).join(', ')}`);
  process.exit(2);
}
const stages = asked.length ? allStages.filter((stage) => asked.includes(stage.name)) : allStages;

const logDir = path.join(root, 'test-artifacts', 'stages');
mkdirSync(logDir, { recursive: true });

// Ctrl+C: end the running stages' whole process groups (dockerd, code-server, …) and run no further stage.
const running = new Set();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    for (const child of running) killGroup(child.pid);
  });
}

// One build for every stage: `npm run build` bundles dist/, `npm run compile` type-checks and compiles the tests to out/.
const results = [await runBuild()];
const docker = results[0].ok && stages.some((stage) => stage.usesDocker) ? prepareDocker() : undefined;
if (results[0].ok && !interrupted) {
  const [live, ...beside] = stages;
  const besideRuns = beside.map((stage) => runStage(stage, { echo: false }));
  results.push((await runStage(live, { echo: true })).result);
  for (const [i, besideRun] of besideRuns.entries()) {
    const { result, output } = await besideRun;
    console.log(`\n=== Stage ${beside[i].name} (ran beside ${live.name}) ===\n${output}`);
    results.push(result);
  }
}

docker?.cleanUp();

console.log('\n=== Test summary ===');
for (const r of results) {
  const counts = r.name === 'build' ? '' : `${r.passed} passed, ${r.failed} failed, ${r.pending} pending`;
  console.log(`${r.name.padEnd(7)} ${r.ok ? 'PASS' : 'FAIL'}  ${counts.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s${r.problem ? `  (${r.problem})` : ''}`);
}
const passed = sum(results.map((r) => r.passed));
const failed = sum(results.map((r) => r.failed));
process.exitCode = interrupted ? 130 : results.every((r) => r.ok) ? 0 : 1;
console.log(`${passed} passed, ${failed} failed`);

/**
 * Starts a dockerd when none answers and makes the base images, for every stage that uses Docker; the stages then
 * find both there (and, told to keep the images, leave them). Undone by cleanUp(): the images made here are
 * removed (unless GREENROOM_KEEP_TEST_IMAGES asks to keep them) and the dockerd started here is stopped.
 * A set-up that fails is reported and left to the stages, which try again and fail with their own message.
 */
function prepareDocker() {
  const keepImages = !!process.env.GREENROOM_KEEP_TEST_IMAGES;
  const dockerScript = (name) => path.join(root, 'scripts', 'docker', name);
  try {
    const pid = execFileSync('bash', [dockerScript('start-dockerd.sh')], { cwd: root, encoding: 'utf8' }).trim();
    const madeFile = path.join(logDir, 'base-images.json');
    execFileSync('node', ['-e', "require('fs').writeFileSync(process.argv[1], JSON.stringify(require('./out/test/docker/fixtures').ensureBaseImages()))", madeFile], { cwd: root, stdio: 'inherit' });
    const made = JSON.parse(readFileSync(madeFile, 'utf8'));
    process.env.GREENROOM_KEEP_TEST_IMAGES = '1';
    return {
      cleanUp() {
        if (!keepImages && made.length) spawnSync('docker', ['rmi', '-f', ...made], { stdio: 'ignore' });
        if (pid) execFileSync('bash', [dockerScript('stop-dockerd.sh'), pid], { stdio: 'inherit' });
      },
    };
  } catch (error) {
    console.error(`[test-all] Docker set-up for the stages failed (${error.message}); the stages try again on their own`);
    return undefined;
  }
}

async function runBuild() {
  console.log('\n=== Build: npm run build && npm run compile ===');
  const started = Date.now();
  const logFile = path.join(logDir, 'build.log');
  let { code } = await run('npm', ['run', '--silent', 'build'], logFile);
  if (code === 0 && !interrupted) ({ code } = await run('npm', ['run', '--silent', 'compile'], logFile, { append: true }));
  const ok = code === 0;
  return { name: 'build', ok, passed: 0, failed: ok ? 0 : 1, pending: 0, seconds: (Date.now() - started) / 1000, problem: ok ? '' : `exit code ${code}: no stage ran` };
}

/** A stage's result and output (printed afterwards when it was not echoed). */
async function runStage({ name, command, needs }, { echo }) {
  const say = (line) => (echo ? console.log(line) : undefined);
  say(`\n=== Stage ${name}: ${[command[0], ...command[1]].join(' ')} ===`);
  const missing = needs.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length) {
    const problem = `not set up: ${missing.join(', ')} missing`;
    say(problem);
    return { result: { name, ok: false, passed: 0, failed: 1, pending: 0, seconds: 0, problem }, output: problem };
  }

  const started = Date.now();
  const { code, output, timedOut } = await run(...command, path.join(logDir, `${name}.log`), { echo });
  const counts = mochaCounts(output, timedOut);
  const result = { name, ...counts, seconds: (Date.now() - started) / 1000, problem: '' };
  if (timedOut) result.problem = `killed after ${STAGE_TIMEOUT_MS / 60_000} min`;
  else if (code !== 0) result.problem = `exit code ${code}`;
  else if (counts.passed + counts.failed === 0) result.problem = 'ran no test';
  result.ok = !result.problem && counts.failed === 0;
  if (!result.ok && result.failed === 0) result.failed = 1;
  return { result, output };
}

/** Runs a command in its own process group, logging (and echoing) its output; kills the group on time-out. */
function run(command, args, logFile, { append = false, echo = true } = {}) {
  const log = createWriteStream(logFile, { flags: append ? 'a' : 'w' });
  const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const onData = (stream) => (chunk) => {
    output += chunk;
    log.write(chunk);
    if (echo) stream.write(chunk);
  };
  child.stdout.on('data', onData(process.stdout));
  child.stderr.on('data', onData(process.stderr));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`[test-all] ${path.basename(logFile, '.log')} did not finish within ${STAGE_TIMEOUT_MS / 60_000} min: killing it`);
    killGroup(child.pid);
  }, STAGE_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      log.end();
      resolve({ code: code ?? `signal ${signal}`, output, timedOut });
    });
  });
}

/**
 * Sums mocha's closing lines ("N passing", "N failing", "N pending") over a stage's output. A stage cut off
 * before any closing line is counted from the spec reporter's per-test lines ("✔ title", "N) title"), the cut
 * as one more failure.
 */
function mochaCounts(output, cutOff) {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (word) => sum([...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].map((m) => Number(m[1])));
  const closing = { passed: count('passing'), failed: count('failing'), pending: count('pending') };
  if (!cutOff || closing.passed + closing.failed + closing.pending > 0) return closing;
  const lines = (pattern) => [...text.matchAll(pattern)].length;
  // The cut itself is one more failure.
  return { passed: lines(/^\s+[✔✓] /gm), failed: lines(/^\s+\d+\) /gm) + 1, pending: 0 };
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function sum(numbers) {
  return numbers.reduce((a, b) => a + b, 0);
}
