// `npm test`: builds once, then every test stage, each run even when an earlier one failed, then a per-stage
// summary. The unit stage runs beside the docker stage (one is CPU, the other mostly waits on containers; on a busy
// machine the two finish well before they would one after the other); its output is printed once the docker stage's
// live output has ended. `node scripts/test-all.mjs unit docker` builds and runs only those stages (`npm run test:unit` and the
// like). The last line is the aggregate `N passed, N failed` (CI reads it); the exit code is non-zero when the build
// or any stage failed or a stage ran no test. A stage that fails without reporting a failing test (crash, missing
// config) counts as one failure, so that the closing line never says 0 failed for a failed run.
// A stage killed at its time-out gets SIGTERM first: the VS Code launcher then prints every result it has with
// closing counts; a mocha stage killed before its closing counts is counted from its per-test lines.
// Each stage's full output is also kept in test-artifacts/stages/<stage>.log.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE_TIMEOUT_MS = Number(process.env.GREENROOM_STAGE_TIMEOUT_MS) || 30 * 60_000;
const mocha = path.join('node_modules', '.bin', 'mocha');

/** Stages of one step run at the same time; the first of a step prints live. */
const allStages = [
  { name: 'docker', step: 1, command: [mocha, ['--config', '.mocharc.docker.json']], needs: ['.mocharc.docker.json'] },
  { name: 'unit', step: 1, command: [mocha, ['--config', '.mocharc.json']], needs: ['.mocharc.json'] },
  { name: 'vscode', step: 2, command: ['node', ['out/test/vscode/launcher/code-server.js']], needs: [] },
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
const steps = [...new Set(stages.map((stage) => stage.step))];
for (const step of results[0].ok ? steps : []) {
  if (interrupted) break;
  const [live, ...beside] = stages.filter((stage) => stage.step === step);
  const besideRuns = beside.map((stage) => runStage(stage, { echo: false }));
  results.push((await runStage(live, { echo: true })).result);
  for (const [i, besideRun] of besideRuns.entries()) {
    const { result, output } = await besideRun;
    console.log(`\n=== Stage ${beside[i].name} (ran beside ${live.name}) ===\n${output}`);
    results.push(result);
  }
}

console.log('\n=== Test summary ===');
for (const r of results) {
  const counts = r.name === 'build' ? '' : `${r.passed} passed, ${r.failed} failed, ${r.pending} pending`;
  console.log(`${r.name.padEnd(7)} ${r.ok ? 'PASS' : 'FAIL'}  ${counts.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s${r.problem ? `  (${r.problem})` : ''}`);
}
const passed = sum(results.map((r) => r.passed));
const failed = sum(results.map((r) => r.failed));
process.exitCode = interrupted ? 130 : results.every((r) => r.ok) ? 0 : 1;
console.log(`${passed} passed, ${failed} failed`);

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
