// `npm run test:vscode`: runs the VS Code suite (test/vscode/suite) in a real VS Code with no download:
// the code-server that scripts/setup.sh installs, opened in headless Debian chromium through playwright-core.
// The suite runs in code-server's Node extension host with the same contract as @vscode/test-electron;
// its output and exit code come back through the workbench's codeAutomationLog / codeAutomationExit hooks.
//
// Artefacts (test-artifacts/vscode/): output.log (the suite's output), code-server.log, browser.log,
// final.png (or timeout.png / error.png) and screenshots/<name>.png asked for by the suite.
// Env: GREENROOM_VSCODE_TIMEOUT_MS (default 300000), GREENROOM_VSCODE_GREP (mocha grep), KEEP_TMP=1 keeps the temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { chromium, type Page } from 'playwright-core';
import type * as CodeServerModule from '../../../scripts/lib/code-server.cjs';
import { EXTENSION_TESTS_PATH, REPO_ROOT, SUITE_ENV, assertBuilt, copyExampleWorkspace, freshArtifactsDir } from './common';
import { startDockerForSuite } from './docker';

// Loaded at run time from the repository (it is not compiled into out/): the same module starts `npm run demo`.
const { startCodeServer } = require(path.join(REPO_ROOT, 'scripts', 'lib', 'code-server.cjs')) as typeof CodeServerModule;

const TIMEOUT_MS = Number(process.env.GREENROOM_VSCODE_TIMEOUT_MS) || 300_000;
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
    process.once(signal, () => void cleanUp().finally(() => process.exit(code)));
  }
  if (!process.env.KEEP_TMP) cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));

  try {
    const workspace = copyExampleWorkspace(tmp);
    say('starting Docker and making the base images');
    cleanups.push(startDockerForSuite(workspace));
    const env: Record<string, string> = { [SUITE_ENV.screenshotDir]: screenshotDir };
    if (process.env[SUITE_ENV.grep]) env[SUITE_ENV.grep] = process.env[SUITE_ENV.grep]!;
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
    await page.goto(url);

    const result = await Promise.race([
      outcome,
      delay(TIMEOUT_MS).then(() => ({ code: 2, reason: `TIMEOUT: the VS Code suite did not finish within ${TIMEOUT_MS / 1000} s`, shot: 'timeout' })),
      new Promise<Outcome>((resolve) =>
        server.process.once('exit', (code) => resolve({ code: 3, reason: `code-server exited unexpectedly (code ${code})`, shot: 'error' })),
      ),
    ]);
    await screenshot(page, path.join(artifacts, `${result.shot}.png`));
    say(`${result.reason} -> exit code ${result.code}; artefacts in ${path.relative(REPO_ROOT, artifacts)}/`);
    return result.code;
  } finally {
    await cleanUp();
  }
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
    } finally {
      busy = false;
    }
  }, SCREENSHOT_POLL_MS);
  return () => clearInterval(timer);
}

async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file }).catch((err: Error) => say(`screenshot ${path.basename(file)} failed: ${err.message}`));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[vscode-launcher] ${err instanceof Error ? err.message : err}`);
    process.exit(3);
  },
);
