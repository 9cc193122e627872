import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The three mistakes a new user ran to SUCCEEDED (issue 9 §4): `minMemoryMbytes: 100`, `version: "1"` and the editor
 * "chekbox", each an error the platform's build refuses, plus `maxMemoryMbytes: 3000` (only a warning).
 */
export const INVALID_ACTOR_JSON = { actorSpecification: 1, name: 'invalid-actor', version: '1', minMemoryMbytes: 100, maxMemoryMbytes: 3000 };
export const INVALID_INPUT_SCHEMA = {
  title: 'Invalid',
  type: 'object',
  schemaVersion: 1,
  properties: { agree: { title: 'Agree', type: 'boolean', description: 'A checkbox', editor: 'chekbox' } },
};

/** Writes the three mistakes into `root` (a copy of an Actor): its actor.json gains them, its input schema is replaced. */
export function breakActor(root: string): void {
  const actorJsonFile = path.join(root, '.actor', 'actor.json');
  const actorJson = JSON.parse(fs.readFileSync(actorJsonFile, 'utf8'));
  fs.writeFileSync(actorJsonFile, JSON.stringify({ ...actorJson, ...INVALID_ACTOR_JSON, name: actorJson.name, input: './input_schema.json' }, null, 2));
  fs.writeFileSync(path.join(root, '.actor', 'input_schema.json'), JSON.stringify(INVALID_INPUT_SCHEMA, null, 2));
}

/** A temporary Actor folder: actor.json, a Dockerfile, and `files` (relative paths). */
export function writeActor(actorJson: Record<string, unknown>, files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-actor-'));
  fs.mkdirSync(path.join(root, '.actor'));
  fs.writeFileSync(path.join(root, '.actor', 'actor.json'), JSON.stringify(actorJson, null, 2));
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\n');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
