// The extension-tests entry point (`extensionTestsPath`) for both launchers: VS Code's extension host calls
// run() and takes a rejected Promise as failure. Runs every *.test.js beside this file with mocha (BDD UI).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The output reaches the launcher through the workbench's log hook, not a terminal.
    color: false,
    timeout: 30_000,
    grep: process.env.GREENROOM_VSCODE_GREP || undefined,
  });
  const files = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
  });
}
