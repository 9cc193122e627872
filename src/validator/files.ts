/** Where an Actor's files are: actor.json references (relative to `.actor/`), lookup orders, the legacy layout. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPlainObject, JsonPath } from './json';
import { FileRole, FileSource } from './types';

export interface ActorFile {
  path: string;
  role: FileRole;
  /** Dataset alias when role === 'dataset'. */
  alias?: string;
}

/** One schema or file an Actor uses, and where actor.json declares it (if it does). */
export interface ActorReference {
  role: FileRole;
  alias?: string;
  /** Absolute path when the thing is a file (named or found by lookup). */
  path?: string;
  /** Path inside actor.json of the value (a path string or an inline object); absent when found by lookup. */
  declaredAt?: JsonPath;
  /** For dockerfile/readme/changelog: the path actor.json names, when the lookup had to find another file instead. */
  missingNamedPath?: string;
  /** The schema written inline in actor.json. */
  inline?: unknown;
}

export const ACTOR_DIR = '.actor';
export const ACTOR_JSON = 'actor.json';
export const LEGACY_APIFY_JSON = 'apify.json';

const INPUT_SCHEMA_LOOKUP = ['.actor/INPUT_SCHEMA.json', 'INPUT_SCHEMA.json', '.actor/input_schema.json', 'input_schema.json'];
const DOCKERFILE_LOOKUP = ['.actor/Dockerfile', 'Dockerfile'];
const README_LOOKUP = ['.actor/README.md', 'README.md'];
const CHANGELOG_LOOKUP = ['.actor/CHANGELOG.md', 'CHANGELOG.md'];

export const diskFileSource: FileSource = {
  readFile(absolutePath) {
    try {
      return fs.readFileSync(absolutePath, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (absolutePath) => fs.existsSync(absolutePath),
  isDirectory(absolutePath) {
    try {
      return fs.statSync(absolutePath).isDirectory();
    } catch {
      return false;
    }
  },
  listDirectory(absolutePath) {
    try {
      return fs.readdirSync(absolutePath);
    } catch {
      return [];
    }
  },
};

export function actorJsonPath(actorRoot: string): string {
  return path.join(actorRoot, ACTOR_DIR, ACTOR_JSON);
}

export function legacyApifyJsonPath(actorRoot: string): string {
  return path.join(actorRoot, LEGACY_APIFY_JSON);
}

/**
 * Which file defines the Actor in `actorRoot`: `.actor/actor.json`; else the legacy `apify.json`; else, as the
 * platform builds a repository with neither, a Dockerfile alone (found by the lookup order) with the input schema
 * found by its lookup order. Undefined when the folder has none of these.
 */
export type ActorLayout =
  | { kind: 'actorJson'; definitionPath: string }
  | { kind: 'apifyJson'; definitionPath: string }
  | { kind: 'dockerfileOnly'; dockerfilePath: string };

export function actorLayout(actorRoot: string, source: FileSource): ActorLayout | undefined {
  const modern = actorJsonPath(actorRoot);
  if (source.exists(modern)) return { kind: 'actorJson', definitionPath: modern };
  const legacy = legacyApifyJsonPath(actorRoot);
  if (source.exists(legacy)) return { kind: 'apifyJson', definitionPath: legacy };
  const dockerfile = lookUp(actorRoot, DOCKERFILE_LOOKUP, source);
  return dockerfile ? { kind: 'dockerfileOnly', dockerfilePath: dockerfile } : undefined;
}

/** First existing path of a lookup list (relative to the Actor root). */
export function lookUp(actorRoot: string, candidates: readonly string[], source: FileSource): string | undefined {
  return candidates.map((candidate) => path.join(actorRoot, candidate)).find((candidate) => source.exists(candidate) && !source.isDirectory(candidate));
}

/** Path written in actor.json, resolved against `.actor/`. */
export function resolveDeclaredPath(actorRoot: string, declared: string): string {
  return path.resolve(actorRoot, ACTOR_DIR, declared);
}

/** Everything the Actor's definition (the parsed actor.json value, if any) refers to. */
export function actorReferences(actorRoot: string, actorJson: unknown, source: FileSource, legacy: boolean): ActorReference[] {
  const definition = isPlainObject(actorJson) ? actorJson : {};
  const references: ActorReference[] = [];
  const declared = (role: FileRole, keyPath: JsonPath, alias?: string): boolean => {
    const value = valueAt(definition, keyPath);
    if (typeof value === 'string') references.push({ role, alias, path: resolveDeclaredPath(actorRoot, value), declaredAt: keyPath });
    else if (isPlainObject(value)) references.push({ role, alias, declaredAt: keyPath, inline: value });
    else return false;
    return true;
  };
  const firstDeclared = (role: FileRole, keys: string[]): boolean => keys.some((key) => declared(role, [key]));
  const found = (role: FileRole, lookup: readonly string[]) => {
    const file = lookUp(actorRoot, lookup, source);
    if (file) references.push({ role, path: file });
  };

  if (legacy) {
    found('input', INPUT_SCHEMA_LOOKUP);
  } else {
    if (!firstDeclared('input', ['input', 'inputSchema'])) found('input', INPUT_SCHEMA_LOOKUP);
    firstDeclared('output', ['output', 'outputSchema']);
    const storages = isPlainObject(definition.storages) ? definition.storages : {};
    declared('dataset', ['storages', 'dataset']);
    if (isPlainObject(storages.datasets)) {
      for (const alias of Object.keys(storages.datasets)) declared('dataset', ['storages', 'datasets', alias], alias);
    }
    declared('keyValueStore', ['storages', 'keyValueStore']);
    declared('webServer', ['webServerSchema']);
  }
  for (const [role, key, lookup] of [['dockerfile', 'dockerfile', DOCKERFILE_LOOKUP], ['readme', 'readme', README_LOOKUP], ['changelog', 'changelog', CHANGELOG_LOOKUP]] as const) {
    const value = legacy ? undefined : definition[key];
    if (typeof value === 'string') {
      const named = resolveDeclaredPath(actorRoot, value);
      if (source.exists(named)) references.push({ role, path: named, declaredAt: [key] });
      else references.push({ role, path: lookUp(actorRoot, lookup, source), declaredAt: [key], missingNamedPath: named });
    } else {
      found(role, lookup);
    }
  }
  if (!legacy && typeof definition.dockerContextDir === 'string') {
    references.push({ role: 'dockerContextDir', path: resolveDeclaredPath(actorRoot, definition.dockerContextDir), declaredAt: ['dockerContextDir'] });
  }
  return references;
}

/** `storage/key_value_stores/<store>/INPUT.json` files (what `apify run` reads as the input). */
export function localInputFiles(actorRoot: string, source: FileSource): string[] {
  const stores = path.join(actorRoot, 'storage', 'key_value_stores');
  return source
    .listDirectory(stores)
    .map((store) => path.join(stores, store, 'INPUT.json'))
    .filter((file) => source.exists(file));
}

export function valueAt(value: unknown, keyPath: JsonPath): unknown {
  let current = value;
  for (const key of keyPath) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = Object.prototype.hasOwnProperty.call(current, key) ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}
