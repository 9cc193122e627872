// What `npm run package` puts in the .vsix, read with `vsce ls` (the same file list vsce packs): every bundle the
// build writes to dist/ (a webview's script left out would leave its panel blank), the users' README, and no source
// maps or sources.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
/** The README the .vsix carries (package.json's `package` script passes it to vsce). */
const USER_README = 'packaging/README.md';

function bundlesIn(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return bundlesIn(relative);
    return entry.name.endsWith('.map') ? [] : [relative];
  });
}

describe('the .vsix contents', function () {
  // vsce walks the whole checkout (test-artifacts included), which takes a minute or more on a loaded machine.
  this.timeout(180_000);

  it('holds every bundle in dist/ and no source maps or sources', () => {
    const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', USER_README], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const missing = bundlesIn('dist').filter((file) => !listed.includes(file));
    assert.deepEqual(missing, [], 'bundles left out of the .vsix (see .vscodeignore)');
    assert.deepEqual(listed.filter((file) => file.endsWith('.map') || /^(src|server|test|out)\//.test(file)), []);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.match(manifest.scripts.package, new RegExp(`--readme-path ${USER_README}\\b`), 'npm run package packs another README');
    assert.ok(!listed.includes('README.md'), 'the developers\' README.md is packed');
    for (const file of ['package.json', USER_README, 'media/icon.png', 'language-configuration.json']) assert.ok(listed.includes(file), `${file} missing`);
  });
});
