// The extension-tests entry point (`extensionTestsPath`) for both launchers: VS Code's extension host calls
// run() and takes a rejected Promise as failure. Runs every *.test.js beside this file with mocha (BDD UI); for
// `npm run bench:ui` (GREENROOM_UI_BENCH), the *.bench.js files instead.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import { SUITE_ENV, SUITE_EVENT_PREFIX, type SuiteEvent } from '../launcher/common';
import { WAIT_CEILING_MS } from './helpers';

// A test may wait up to WAIT_CEILING_MS for one thing and still fail with what it waited for, not mocha's time-out.
const DEFAULT_TIMEOUT_MS = 2 * WAIT_CEILING_MS;

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The output reaches the launcher through the workbench's log hook, not a terminal.
    color: false,
    timeout: DEFAULT_TIMEOUT_MS,
    grep: process.env[SUITE_ENV.grep] || undefined,
  });
  const suffix = process.env.GREENROOM_UI_BENCH ? '.bench.js' : '.test.js';
  const files = fs.readdirSync(__dirname).filter((file) => file.endsWith(suffix)).sort();
  // Last to first: a check that no test relies on what an earlier one left.
  if (process.env[SUITE_ENV.reverse]) files.reverse();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => (failures ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
    if (process.env[SUITE_ENV.events]) reportEvents(runner);
  });
}

/** Tells the launcher about each test as it happens (see SUITE_EVENT_PREFIX); the spec reporter still prints as usual. */
function reportEvents(runner: Mocha.Runner): void {
  const send = (event: SuiteEvent) => console.log(SUITE_EVENT_PREFIX + JSON.stringify(event));
  runner.on('start', () => send({ event: 'start', timeoutMs: DEFAULT_TIMEOUT_MS }));
  runner.on('test', (test) => send({ event: 'begin', title: test.fullTitle(), timeoutMs: test.timeout() }));
  runner.on('hook', (hook) => send({ event: 'begin', title: hook.fullTitle(), timeoutMs: hook.timeout() }));
  runner.on('pass', (test) => send({ event: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 }));
  runner.on('pending', (test) => send({ event: 'pending', title: test.fullTitle() }));
  runner.on('fail', (test, err) => send({ event: 'fail', title: test.fullTitle(), text: failureText(err) }));
  runner.on('end', () => send({ event: 'end' }));
}

/** The failure as mocha's closing report lists it (message, diff, stack), without the list's number and title. */
function failureText(err: unknown): string {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void; list(failures: unknown[]): void };
  const lines: string[] = [];
  const consoleLog = base.consoleLog;
  base.consoleLog = (...args) => lines.push(util.format(...args));
  try {
    base.list([{ err, titlePath: () => ['-'] }]);
  } finally {
    base.consoleLog = consoleLog;
  }
  const text = lines.join('\n').replace(/^\s*1\) -:\n/, '').replace(/\s+$/, '');
  if (!text.trim()) return String(err);
  // Left-aligned: the launcher indents it under its own numbering.
  const indent = Math.min(...text.split('\n').filter((line) => line.trim()).map((line) => line.length - line.trimStart().length));
  return text.replace(new RegExp(`^ {0,${indent}}`, 'gm'), '').replace(/^\n+/, '');
}
