// The greenroom npm package as a user gets it: `npm pack` (of the bundles already built), `npm install -g` of the
// tarball into a temporary prefix, then the `greenroom` bin run from a folder outside the repository with nothing
// but Node on the PATH.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

describe('the greenroom npm package', function () {
  this.timeout(180_000);
  let temp: string;
  let bin: string;
  let packed: string[];

  before(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-npm-'));
    // --ignore-scripts: pack the bundles this test run built (prepack would rebuild them for production).
    const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', temp], REPO_ROOT));
    packed = report.files.map((file: { path: string }) => file.path);
    const prefix = path.join(temp, 'prefix');
    npm(['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(temp, report.filename)], temp);
    bin = path.join(prefix, 'bin', 'greenroom');
  });
  after(() => fs.rmSync(temp, { recursive: true, force: true }));

  /** `greenroom …` in `cwd`, with only Node's own folder on the PATH. */
  const greenroom = (args: string[], cwd: string) =>
    spawnSync(bin, args, { cwd, encoding: 'utf8', env: { PATH: path.dirname(process.execPath), HOME: temp } });

  it('holds the CLI and the bundles it loads, and nothing of the extension', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/cli-main.js', 'dist/compiled/input.js']) assert.ok(packed.includes(file), `${file} missing`);
    assert.deepEqual(packed.filter((file) => /^(src|server|test|out|node_modules|examples)\//.test(file) || file.endsWith('.map') || /dist\/(extension|server)\.js$/.test(file) || file.startsWith('dist/webview/')), []);
  });

  it('validates an Actor from any folder: exit 0 on a valid one', () => {
    const actor = path.join(temp, 'hello-actor');
    fs.cpSync(path.join(REPO_ROOT, 'examples', 'hello-actor'), actor, { recursive: true });
    const result = greenroom(['validate', '.'], actor);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'No problems found.\n');
  });

  it('exit 1 and JSON diagnostics on an Actor with errors', () => {
    const actor = path.join(temp, 'broken-actor');
    fs.mkdirSync(path.join(actor, '.actor'), { recursive: true });
    fs.writeFileSync(path.join(actor, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'broken', version: '1' }));
    fs.writeFileSync(path.join(actor, 'Dockerfile'), 'FROM node:20\n');
    const result = greenroom(['validate', '--format', 'json'], actor);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).diagnostics.map((d: { code: string }) => d.code), ['actor/invalid-version']);
  });
});
