/** `greenroom validate`: the layouts it accepts and what it prints, in both formats. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { greenroom } from './greenroom';

describe('CLI: validate', () => {
  let temp: string;
  before(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-validate-'));
  });
  after(() => fs.rmSync(temp, { recursive: true, force: true }));

  const folder = (name: string, files: Record<string, string>) => {
    const root = path.join(temp, name);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  };

  it('usage errors under --format json are JSON on stdout, exit 2', async () => {
    for (const args of [['validate', path.join(temp, 'missing'), '--format', 'json'], ['validate', '--format=json', '--warnings', 'some'], ['validate', '--format', 'json', '--bogus']]) {
      const result = await greenroom(args, temp);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, '');
      const { error } = JSON.parse(result.stdout);
      assert.equal(error.code, 'usage');
      assert.equal(typeof error.message, 'string');
    }
    const text = await greenroom(['validate', path.join(temp, 'missing')], temp);
    assert.match(text.stderr, /^greenroom validate: .*missing is not a folder\n/);
  });

  it('a folder that is no Actor at all is a usage error that says what it looked for', async () => {
    const result = await greenroom(['validate', folder('empty', { 'README.md': '# x' })], temp);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /holds no \.actor\/actor\.json, no legacy apify\.json and no Dockerfile: it is not an Actor/);
  });

  it('a root INPUT_SCHEMA.json and a Dockerfile (the legacy layout) are validated, not refused', async () => {
    const schema = { title: 'T', type: 'object', schemaVersion: 1, properties: { url: { title: 'URL', type: 'string', description: 'd', editor: 'textfield' } } };
    const valid = await greenroom(['validate', folder('crawler', { Dockerfile: 'FROM x', 'INPUT_SCHEMA.json': JSON.stringify(schema) }), '--format', 'json'], temp);
    assert.equal(valid.code, 0, valid.stderr);
    assert.deepEqual(JSON.parse(valid.stdout).diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`), ['legacy/no-definition Dockerfile']);
    const broken = { ...schema, properties: { url: { ...schema.properties.url, editor: 'checkbox' } } };
    const invalid = await greenroom(['validate', folder('broken-crawler', { Dockerfile: 'FROM x', 'INPUT_SCHEMA.json': JSON.stringify(broken) })], temp);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stdout, /INPUT_SCHEMA\.json:1:\d+: error .*editor "checkbox"/);
  });
});
