import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decryptInputSecrets } from '@apify/input_secrets';
import { encryptSecretInput, inputSecretsEnvironment } from '../../../src/engine/inputSecrets';

const SCHEMA = {
  title: 'Secrets',
  type: 'object',
  schemaVersion: 1,
  properties: {
    token: { title: 'Token', type: 'string', description: 'API token', editor: 'textfield', isSecret: true },
    name: { title: 'Name', type: 'string', description: 'Plain', editor: 'textfield' },
  },
};

describe('secret input fields (engine)', function () {
  let dir: string;
  let keyFile: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-secrets-'));
    keyFile = path.join(dir, 'input-secrets-key.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('encrypts secret fields so that the SDK decrypts them with only the environment it is given', function () {
    const { input, env } = encryptSecretInput(SCHEMA, { token: 's3cr3t-value', name: 'Ada' }, keyFile);
    assert.equal(input.name, 'Ada');
    assert.ok(!JSON.stringify(input).includes('s3cr3t-value'), 'the secret is not in what gets written to disk');
    // What the SDK does in Actor.getInput() (apify 3.x):
    const privateKey = createPrivateKey({
      key: Buffer.from(env.APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE, 'base64'),
      passphrase: env.APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE,
    });
    assert.deepEqual(decryptInputSecrets({ input, privateKey }), { token: 's3cr3t-value', name: 'Ada' });
  });

  it('keeps one key pair, readable only by its owner, so later runs and resurrections can decrypt', function () {
    encryptSecretInput(SCHEMA, { token: 'a' }, keyFile);
    const first = fs.readFileSync(keyFile, 'utf8');
    encryptSecretInput(SCHEMA, { token: 'b' }, keyFile);
    assert.equal(fs.readFileSync(keyFile, 'utf8'), first);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(inputSecretsEnvironment(keyFile).APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE);
  });

  it('leaves an input without secret values alone and creates no key', function () {
    const plain = { name: 'Ada' };
    const { input, env } = encryptSecretInput(SCHEMA, plain, keyFile);
    assert.equal(input, plain);
    assert.deepEqual(env, {});
    assert.ok(!fs.existsSync(keyFile));
    assert.deepEqual(encryptSecretInput(undefined, { token: 'x' }, keyFile).env, {});
  });
});
