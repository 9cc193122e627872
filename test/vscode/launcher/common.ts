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
} as const;

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
