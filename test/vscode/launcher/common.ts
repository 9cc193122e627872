// What both VS Code test launchers (code-server and desktop) share: where things are, and the throw-away workspace.
import * as fs from 'fs';
import * as path from 'path';

/** Compiled to out/test/vscode/launcher/, four levels below the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const EXTENSION_TESTS_PATH = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
const EXAMPLE_ACTOR = path.join(REPO_ROOT, 'examples', 'hello-actor');

/** Environment variables the launchers pass to the suite (which runs in the extension host). */
export const SUITE_ENV = {
  /** Folder where the suite asks for screenshots (see suite/helpers.ts); unset where nobody can take them. */
  screenshotDir: 'GREENROOM_SCREENSHOT_DIR',
  /** Optional mocha --grep for the suite, passed through from the launcher's own environment. */
  grep: 'GREENROOM_VSCODE_GREP',
  /** Optional: "1" runs the suite's files last to first, passed through like grep. */
  reverse: 'GREENROOM_VSCODE_REVERSE',
  /** "1" where the launcher reads the suite's events (SUITE_EVENT_PREFIX); elsewhere they would only be noise. */
  events: 'GREENROOM_SUITE_EVENTS',
} as const;

/**
 * The suite reports each test's start and outcome to the launcher as one console line, this prefix and then a
 * {@link SuiteEvent} as JSON (suite/index.ts writes them, launcher/results.ts reads them): so that a launcher that
 * has to cut the run off still knows every result, and how long the running test may take before it is stuck.
 */
export const SUITE_EVENT_PREFIX = '@@greenroom-suite-event ';

export type SuiteEvent =
  /** Mocha started; `timeoutMs` is the suite's default test time-out. */
  | { event: 'start'; timeoutMs: number }
  /** A test or hook began; it may run for `timeoutMs` (0: no limit) before mocha fails it. */
  | { event: 'begin'; title: string; timeoutMs: number }
  | { event: 'pass'; title: string; durationMs: number }
  | { event: 'pending'; title: string }
  /** A test or hook failed; `text` is the error as mocha's closing report prints it. */
  | { event: 'fail'; title: string; text: string }
  /** Mocha finished and printed its own closing report. */
  | { event: 'end' };

/** The launcher's test-artifacts/<name>/ folder, emptied, so that it only holds the last run's files. */
export function freshArtifactsDir(name: string): string {
  const dir = path.join(REPO_ROOT, 'test-artifacts', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A copy of examples/hello-actor under `parent`: the tests edit files, and the repository must stay clean. */
export function copyExampleWorkspace(parent: string): string {
  const workspace = path.join(parent, 'hello-actor');
  fs.cpSync(EXAMPLE_ACTOR, workspace, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  return workspace;
}

/** Fails early, with the command to run, when the extension or the suite has not been built. */
export function assertBuilt(): void {
  const needed = [path.join(REPO_ROOT, 'dist', 'extension.js'), EXTENSION_TESTS_PATH];
  const missing = needed.filter((file) => !fs.existsSync(file));
  if (missing.length) {
    throw new Error(`not built: ${missing.map((file) => path.relative(REPO_ROOT, file)).join(', ')}; run \`npm run build && npm run compile\``);
  }
}
