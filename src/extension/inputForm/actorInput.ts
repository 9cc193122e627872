/**
 * The files behind an Actor's input form: its input schema (a file, or inline in actor.json), its shared INPUT.json,
 * its local storages (for the resourcePicker) and uploaded files (records in the default key-value store).
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalResources } from '../../form/protocol';
import { ResourceType } from '../../form/model';
import { diskFileSource, resolveActorFiles } from '../../validator';

/** The Actor's shared INPUT (the `apify run` place), which Save writes. */
export function inputJsonPath(actorRoot: string): string {
  return path.join(actorRoot, 'storage', 'key_value_stores', 'default', 'INPUT.json');
}

/** Where the input schema lives: its own file, or the definition file when it is written inline there. */
export function inputSchemaLocation(actorRoot: string): { file: string; inline: boolean } | undefined {
  const schemaFile = resolveActorFiles(actorRoot, diskFileSource).find((file) => file.role === 'input');
  if (schemaFile) return { file: schemaFile.path, inline: false };
  const definition = definitionFile(actorRoot);
  return definition ? { file: definition, inline: true } : undefined;
}

/** `.actor/actor.json`, or a legacy `apify.json`. */
export function definitionFile(actorRoot: string): string | undefined {
  return resolveActorFiles(actorRoot, diskFileSource).find((file) => file.role === 'actor' || file.role === 'legacyApifyJson')?.path;
}

/** The schema from the file's text (open editors' unsaved text included by the caller); undefined while it does not parse. */
export function parseInputSchema(text: string, inline: boolean): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!inline) return value;
  const definition = (value ?? {}) as Record<string, unknown>;
  const schema = definition.input ?? definition.inputSchema;
  return schema !== null && typeof schema === 'object' ? schema : undefined;
}

const STORAGE_FOLDERS: Record<Exclude<ResourceType, 'mcpConnector'>, string> = {
  dataset: 'datasets',
  keyValueStore: 'key_value_stores',
  requestQueue: 'request_queues',
};

/** Names of the Actor's local storages, by type; the SDKs' internal folders are left out. */
export function localResources(actorRoot: string): LocalResources {
  const resources: LocalResources = {};
  for (const [type, folder] of Object.entries(STORAGE_FOLDERS) as [ResourceType, string][]) {
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(path.join(actorRoot, 'storage', folder), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('__'))
        .map((entry) => entry.name);
    } catch {
      // No such storage yet.
    }
    resources[type] = names.sort();
  }
  return resources;
}

/** Characters the platform allows in a key-value store key. */
const KEY_CHARACTERS = /[^a-zA-Z0-9!\-_.'()]/g;

/**
 * Stores a picked file as a record of the Actor's default key-value store and returns its key. The file keeps its
 * extension on disk, as the JavaScript SDK names records (`<key>.<ext>`), so the SDK reads it back by key.
 */
export function storeUploadedFile(actorRoot: string, sourceFile: string): string {
  const extension = path.extname(sourceFile);
  const stem = path.basename(sourceFile, extension).replace(KEY_CHARACTERS, '-').slice(0, 200) || 'file';
  const folder = path.join(actorRoot, 'storage', 'key_value_stores', 'default');
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(sourceFile, path.join(folder, stem + extension.replace(KEY_CHARACTERS, '')));
  return stem;
}
