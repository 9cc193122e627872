// `npm run test:vscode`: runs the VS Code suite (test/vscode/suite) in a real VS Code with no download:
// the code-server that scripts/setup.sh installs, opened in headless Debian chromium through playwright-core.
// The suite runs in code-server's Node extension host with the same contract as @vscode/test-electron;
// its output and exit code come back through the workbench's codeAutomationLog / codeAutomationExit hooks.
//
// Artefacts (test-artifacts/vscode/): output.log (the suite's output), code-server.log, browser.log,
// final.png (or timeout.png / error.png) and screenshots/<name>.png asked for by the suite (which may also ask for a
// key press, see serveScreenshotRequests).
// A run that stops making progress is cut off: the suite announces each test with its own time-out
// (SuiteEvent), and the launcher allows that plus GREENROOM_VSCODE_IDLE_MS of silence; the whole run may take at
// most GREENROOM_VSCODE_TIMEOUT_MS. A cut-off run (or a SIGTERM) still prints every result it has (results.ts).
// Env: GREENROOM_VSCODE_IDLE_MS (default 180000), GREENROOM_VSCODE_TIMEOUT_MS (default 1500000),
// GREENROOM_VSCODE_GREP (mocha grep), GREENROOM_VSCODE_REVERSE=1 (test files last to first), KEEP_TMP=1 keeps the temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { chromium, type Page } from 'playwright-core';
import type * as CodeServerModule from '../../../scripts/lib/code-server.cjs';
import { EXTENSION_TESTS_PATH, REPO_ROOT, SUITE_ENV, assertBuilt, copyExampleWorkspace, freshArtifactsDir } from './common';
import { startDockerForSuite } from './docker';
import { SuiteProgress } from './results';

// Loaded at run time from the repository (it is not compiled into out/): the same module starts `npm run demo`.
const { startCodeServer } = require(path.join(REPO_ROOT, 'scripts', 'lib', 'code-server.cjs')) as typeof CodeServerModule;

// Under the 30 min that `npm test` gives a whole stage, so that the launcher, not test-all, does the cutting.
const TIMEOUT_MS = Number(process.env.GREENROOM_VSCODE_TIMEOUT_MS) || 25 * 60_000;
// Beyond the running test's own time-out (mocha fails it then): how long the suite may stay silent before the
// run counts as stuck (a hung extension host, a lost page); also how long the workbench may take to start the suite.
const IDLE_MS = Number(process.env.GREENROOM_VSCODE_IDLE_MS) || 180_000;
const WATCHDOG_POLL_MS = 1000;
const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags chromium keeps dialling Google on this closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const SCREENSHOT_POLL_MS = 200;

const started = Date.now();
const say = (message: string) => console.log(`[vscode-launcher ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
const progress = new SuiteProgress();

async function main(): Promise<number> {
  assertBuilt();
  const artifacts = freshArtifactsDir('vscode');
  const screenshotDir = path.join(artifacts, 'screenshots');
  fs.mkdirSync(screenshotDir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-vscode-'));
  const cleanups: (() => Promise<void> | void)[] = [];
  // Last registered, first undone; each at most once, even when a signal and main's `finally` both clean up.
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch((err) => say(`clean-up: ${err}`));
  };
  // Ctrl+C or a killed parent must not leave code-server or chromium behind.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      console.log(progress.recap(`the launcher got ${signal}`));
      void cleanUp().finally(() => process.exit(code));
    });
  }
  if (!process.env.KEEP_TMP) cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));

  try {
    const workspace = copyExampleWorkspace(tmp);
    say('starting Docker and making the base images');
    cleanups.push(startDockerForSuite(workspace));
    const env: Record<string, string> = { [SUITE_ENV.screenshotDir]: screenshotDir, [SUITE_ENV.events]: '1' };
    for (const name of [SUITE_ENV.grep, SUITE_ENV.reverse]) if (process.env[name]) env[name] = process.env[name]!;
    const server = await startCodeServer({
      stateDir: path.join(tmp, 'code-server'),
      logFile: path.join(artifacts, 'code-server.log'),
      env,
    });
    cleanups.push(() => server.stop());
    say(`code-server listening on ${server.url}`);

    const browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: CHROMIUM_ARGS,
      // Our own signal handlers close the browser and code-server; playwright's would exit before code-server stops.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    cleanups.push(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    let finish!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (finish = resolve));
    await watchPage(page, artifacts, finish);
    cleanups.push(serveScreenshotRequests(page, screenshotDir));

    const url = server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', server.remoteUri(EXTENSION_TESTS_PATH)],
      ['enableProposedApi', ''],
      ['skipWelcome', 'true'],
    ]);
    say(`opening the workbench on a copy of examples/hello-actor (${workspace})`);
    progress.lastEventAt = Date.now();
    const watchdog = setInterval(() => {
      const stuck = stuckReason();
      if (stuck) finish({ code: 2, reason: `TIMEOUT: ${stuck}`, shot: 'timeout' });
    }, WATCHDOG_POLL_MS);
    cleanups.push(() => clearInterval(watchdog));
    server.process.once('exit', (code) => finish({ code: 3, reason: `code-server exited unexpectedly (code ${code})`, shot: 'error' }));
    // Only the navigation itself: the watchdog, not playwright's 30 s load time-out, judges a slow workbench.
    await page.goto(url, { waitUntil: 'commit', timeout: IDLE_MS });
    const result = await outcome;
    if (result.code !== 0 && !progress.ended) console.log(progress.recap(result.reason));
    await screenshot(page, path.join(artifacts, `${result.shot}.png`));
    say(`${result.reason} -> exit code ${result.code}; artefacts in ${path.relative(REPO_ROOT, artifacts)}/`);
    return result.code;
  } finally {
    await cleanUp();
  }
}

/** Why the run counts as stuck, or undefined while it may still be making progress. */
function stuckReason(): string | undefined {
  const now = Date.now();
  if (now - started > TIMEOUT_MS) return `the VS Code suite did not finish within ${TIMEOUT_MS / 1000} s (GREENROOM_VSCODE_TIMEOUT_MS)`;
  if (progress.ended) return now - progress.lastEventAt > IDLE_MS ? `the suite ended but VS Code did not report its exit code within ${IDLE_MS / 1000} s` : undefined;
  const silentMs = now - progress.lastEventAt;
  if (!progress.started) {
    return silentMs > IDLE_MS ? `the workbench did not start the suite within ${IDLE_MS / 1000} s (GREENROOM_VSCODE_IDLE_MS)` : undefined;
  }
  // A test or hook with no time-out of its own (mocha's 0) is only bounded by the whole run's cap.
  if (progress.allowedSilenceMs === undefined) return undefined;
  const allowedMs = progress.allowedSilenceMs + IDLE_MS;
  if (silentMs <= allowedMs) return undefined;
  const what = progress.running ? `"${progress.running.title}" (its time-out is ${progress.allowedSilenceMs / 1000} s)` : 'the suite between tests';
  return `no word from ${what} for ${(silentMs / 1000).toFixed(0)} s, ${IDLE_MS / 1000} s past its time-out (GREENROOM_VSCODE_IDLE_MS)`;
}

interface Outcome {
  code: number;
  reason: string;
  /** Name of the screenshot taken at the end. */
  shot: string;
}

/** Forwards the suite's output to stdout (and output.log); `finish` receives the suite's exit code. */
async function watchPage(page: Page, artifacts: string, finish: (outcome: Outcome) => void): Promise<void> {
  const output = fs.createWriteStream(path.join(artifacts, 'output.log'));
  const browserLog = fs.createWriteStream(path.join(artifacts, 'browser.log'));
  page.on('console', (message) => browserLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
  page.on('crash', () => finish({ code: 3, reason: 'the workbench page crashed', shot: 'error' }));
  // The extension host's console, printf-style arguments: this is where mocha's reporter writes.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const line = util.format(...(args ?? []));
    if (progress.take(line)) return;
    output.write(line + '\n');
    (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    finish({ code, reason: code === 0 ? 'suite passed' : 'suite failed', shot: code === 0 ? 'final' : 'failure' });
  });
}

/**
 * The suite cannot drive the browser, so it asks for a screenshot by writing `<name>.request` into the
 * screenshot folder and waits for `<name>.png` (suite/helpers.ts). Returns the function that stops serving.
 */
/**
 * What the suite asks of the page through files in `dir`: `<name>.request` a screenshot (`<name>.png`, then the
 * request goes); `<name>.press` a key press as a user's (the file holds the key, e.g. `F5`), answered with
 * `<name>.pressed` holding when it was pressed (Date.now()).
 */
function serveScreenshotRequests(page: Page, dir: string): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const request of fs.readdirSync(dir).filter((file) => file.endsWith('.request'))) {
        const name = request.slice(0, -'.request'.length);
        await screenshot(page, path.join(dir, `${name}.png`));
        fs.rmSync(path.join(dir, request), { force: true });
      }
      for (const request of fs.readdirSync(dir).filter((file) => file.endsWith('.press'))) {
        const name = request.slice(0, -'.press'.length);
        const key = fs.readFileSync(path.join(dir, request), 'utf8').trim();
        const pressedAt = Date.now();
        await page.keyboard.press(key).catch((err: Error) => say(`key press ${key} failed: ${err.message}`));
        fs.rmSync(path.join(dir, request), { force: true });
        fs.writeFileSync(path.join(dir, `${name}.pressed`), String(pressedAt));
      }
    } finally {
      busy = false;
    }
  }, SCREENSHOT_POLL_MS);
  return () => clearInterval(timer);
}

async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file }).catch((err: Error) => say(`screenshot ${path.basename(file)} failed: ${err.message}`));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[vscode-launcher] ${err instanceof Error ? err.message : err}`);
    process.exit(3);
  },
);
