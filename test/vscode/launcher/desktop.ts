// `npm run test:desktop`: the same VS Code suite in VS Code desktop through @vscode/test-electron, for machines
// with internet access (it downloads VS Code into .vscode-test/) or an installed VS Code (VSCODE_EXECUTABLE=/path/to/code).
// Linux needs a display (e.g. `xvfb-run -a npm run test:desktop`). Without either, use `npm run test:vscode`.
// Env: VSCODE_EXECUTABLE, VSCODE_VERSION (default 1.100.3, the VS Code inside the code-server of test:vscode),
// GREENROOM_VSCODE_GREP (mocha grep), GREENROOM_VSCODE_REVERSE=1 (test files last to first).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestRunFailedError, runTests } from '@vscode/test-electron';
import { EXTENSION_TESTS_PATH, REPO_ROOT, SUITE_ENV, assertBuilt, copyExampleWorkspace } from './common';

const VSCODE_VERSION = process.env.VSCODE_VERSION || '1.100.3';

async function main(): Promise<number> {
  assertBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-desktop-'));
  try {
    const workspace = copyExampleWorkspace(tmp);
    return await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: VSCODE_VERSION }),
      cachePath: path.join(REPO_ROOT, '.vscode-test'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      extensionTestsEnv: { [SUITE_ENV.grep]: process.env[SUITE_ENV.grep], [SUITE_ENV.reverse]: process.env[SUITE_ENV.reverse] },
      launchArgs: [
        workspace,
        '--user-data-dir', path.join(tmp, 'user-data'),
        '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (err) {
    if (err instanceof TestRunFailedError) {
      console.error(`[desktop-launcher] the VS Code suite failed (${err.message})`);
      return err.code || 1;
    }
    throw new Error(
      `could not start VS Code desktop: ${err instanceof Error ? err.message : err}\n` +
        `  test:desktop downloads VS Code ${VSCODE_VERSION} (needs internet access) unless VSCODE_EXECUTABLE names an installed one.\n` +
        '  On a machine without either, run the same suite in code-server instead: npm run test:vscode',
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[desktop-launcher] ${err instanceof Error ? err.message : err}`);
    process.exit(3);
  },
);
