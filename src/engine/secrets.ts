/**
 * Secrets for `@name` values in actor.json `environmentVariables`. They belong to the developer, not to
 * the Actor's source, so they live in the home folder: `~/.greenroom/secrets.json` ({ "name": "value" },
 * mode 0600), overridable with GREENROOM_SECRETS_FILE. Secrets added with `apify secrets add`
 * (`~/.apify/.secrets.json`) are found too, so existing projects work unchanged.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readJsonFile, writeJsonAtomic } from './recordStore';

export class MissingSecretsError extends Error {
  name = 'MissingSecretsError';
  constructor(readonly missing: { variable: string; secret: string }[]) {
    super(
      `Missing secret${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `"${m.secret}" (for ${m.variable})`).join(', ')}. ` +
        `Add ${missing.length > 1 ? 'them' : 'it'} to ${defaultSecretsFile()}.`,
    );
  }
}

export function defaultSecretsFile(): string {
  return process.env.GREENROOM_SECRETS_FILE || join(homedir(), '.greenroom', 'secrets.json');
}

export class SecretsStore {
  constructor(
    readonly file = defaultSecretsFile(),
    private readonly fallbackFiles = [join(homedir(), '.apify', '.secrets.json')],
  ) {}

  all(): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const file of [...this.fallbackFiles].reverse()) Object.assign(merged, readJsonFile<Record<string, string>>(file) ?? {});
    return Object.assign(merged, readJsonFile<Record<string, string>>(this.file) ?? {});
  }

  set(name: string, value: string): void {
    const own = readJsonFile<Record<string, string>>(this.file) ?? {};
    own[name] = value;
    mkdirSync(dirname(this.file), { recursive: true });
    writeJsonAtomic(this.file, own);
    chmodSync(this.file, 0o600);
  }

  /** Replaces `@secret` values; throws MissingSecretsError naming every missing one, so nothing starts half-configured. */
  resolve(variables: Record<string, string>): Record<string, string> {
    const secrets = this.all();
    const missing: { variable: string; secret: string }[] = [];
    const resolved = Object.fromEntries(
      Object.entries(variables).map(([variable, value]) => {
        if (!value.startsWith('@')) return [variable, value];
        const secret = value.slice(1);
        if (secrets[secret] === undefined) missing.push({ variable, secret });
        return [variable, secrets[secret] ?? ''];
      }),
    );
    if (missing.length) throw new MissingSecretsError(missing);
    return resolved;
  }
}
