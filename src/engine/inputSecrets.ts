/**
 * Secret input fields (`isSecret` in the input schema) are stored encrypted in the run's INPUT record, as the
 * platform stores them: @apify/input_secrets encrypts each one with the public half of a key pair, and the SDKs'
 * `Actor.getInput()` decrypts it with the private half they receive through APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE
 * (the key itself, base64) and APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE. The key pair belongs to the developer and
 * lives beside the secrets store (`~/.greenroom/input-secrets-key.json`, mode 0600), so no secret value in plain
 * text lands in the Actor's folder, and a resurrected run can still read its input. (The key file sits beside whatever
 * secrets file the engine uses.)
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decryptInputSecrets, encryptInputSecrets, getInputSchemaSecretFieldKeys } from '@apify/input_secrets';
import { readJsonFile, writeJsonAtomic } from './recordStore';

interface StoredKeyPair {
  /** PKCS#8 PEM, encrypted with the passphrase. */
  privateKey: string;
  passphrase: string;
}

/** The key pair's file, beside the developer's secrets file. */
export function inputSecretsKeyFile(secretsFile: string): string {
  return join(dirname(secretsFile), 'input-secrets-key.json');
}

function loadOrCreateKeyPair(file: string): StoredKeyPair {
  const stored = readJsonFile<StoredKeyPair>(file);
  if (stored?.privateKey && stored.passphrase) return stored;
  const passphrase = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  const created = { privateKey, passphrase };
  mkdirSync(dirname(file), { recursive: true });
  writeJsonAtomic(file, created);
  chmodSync(file, 0o600);
  return created;
}

function secretFieldKeys(inputSchema: unknown): string[] {
  return inputSchema && typeof inputSchema === 'object' ? getInputSchemaSecretFieldKeys(inputSchema) : [];
}

export function hasSecretFields(inputSchema: unknown): boolean {
  return secretFieldKeys(inputSchema).length > 0;
}

/** Names of the input's secret fields that hold a value, per the input schema. */
function secretFieldsWithValues(inputSchema: unknown, input: Record<string, unknown>): string[] {
  return secretFieldKeys(inputSchema).filter((key) => input[key] !== undefined && input[key] !== null);
}

/**
 * The input as it may be written to disk (secret fields encrypted) and the environment that lets the SDK decrypt it.
 * An input without secret values is returned as it is, with no environment.
 */
export function encryptSecretInput(
  inputSchema: unknown,
  input: Record<string, unknown>,
  keyFile: string,
): { input: Record<string, unknown>; env: Record<string, string> } {
  if (secretFieldsWithValues(inputSchema, input).length === 0) return { input, env: {} };
  const { privateKey, passphrase } = loadOrCreateKeyPair(keyFile);
  const publicKey = createPublicKey(createPrivateKey({ key: privateKey, passphrase }));
  return {
    input: encryptInputSecrets({ input, inputSchema: inputSchema as object, publicKey }),
    env: inputSecretsEnvironment(keyFile),
  };
}

/** An input as a run stored it, its secret fields decrypted again (to start a run with the same input). */
export function decryptSecretInput(input: Record<string, unknown>, keyFile: string): Record<string, unknown> {
  const stored = readJsonFile<StoredKeyPair>(keyFile);
  if (!stored?.privateKey || !stored.passphrase) return input;
  return decryptInputSecrets({ input, privateKey: createPrivateKey({ key: stored.privateKey, passphrase: stored.passphrase }) });
}

/** What a container needs to decrypt secret input fields; empty when no key pair exists yet (nothing was encrypted). */
export function inputSecretsEnvironment(keyFile: string): Record<string, string> {
  const stored = readJsonFile<StoredKeyPair>(keyFile);
  if (!stored?.privateKey || !stored.passphrase) return {};
  return {
    APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE: Buffer.from(stored.privateKey).toString('base64'),
    APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE: stored.passphrase,
  };
}
