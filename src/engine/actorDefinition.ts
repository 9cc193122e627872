/**
 * What the engine needs from an Actor's definition (fact sheet §1–2): name, version, default build tag,
 * environment variables, the Dockerfile and build context, the input schema. Reading only — the
 * validator (src/validator) owns the verdict on whether these files are valid.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface ActorDefinition {
  root: string;
  name: string;
  version: string;
  buildTag: string;
  environmentVariables: Record<string, string>;
  dockerfile: string;
  contextDir: string;
  /** The parsed input schema, or undefined when the Actor has none. */
  inputSchema: unknown;
  defaultMemoryMbytes?: number;
}

export class ActorDefinitionError extends Error {
  name = 'ActorDefinitionError';
}

/** Walks up from `start` to the folder holding `.actor/actor.json` (or a legacy `apify.json`). */
export function findActorRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.actor', 'actor.json')) || existsSync(join(dir, 'apify.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readActorDefinition(root: string): ActorDefinition {
  const actorDir = join(root, '.actor');
  const actorJson = join(actorDir, 'actor.json');
  const legacy = !existsSync(actorJson);
  const file = legacy ? join(root, 'apify.json') : actorJson;
  const raw = readJson(file) as Record<string, unknown>;
  const name = stringField(raw, 'name', file);
  const version = stringField(raw, 'version', file);
  // Paths inside actor.json are relative to .actor/, even when the Dockerfile or schema lives elsewhere.
  const fromActorDir = (p: string) => resolve(actorDir, p);

  const dockerfile = [
    typeof raw.dockerfile === 'string' ? fromActorDir(raw.dockerfile) : undefined,
    join(actorDir, 'Dockerfile'),
    join(root, 'Dockerfile'),
  ].find((p): p is string => p !== undefined && isFile(p));
  if (!dockerfile) throw new ActorDefinitionError(`No Dockerfile found for the Actor at ${root} (looked in .actor/ and the Actor root)`);

  const contextDir = typeof raw.dockerContextDir === 'string' ? fromActorDir(raw.dockerContextDir) : root;
  if (!existsSync(contextDir)) throw new ActorDefinitionError(`dockerContextDir ${contextDir} does not exist`);

  return {
    root,
    name,
    version,
    buildTag: typeof raw.buildTag === 'string' && raw.buildTag ? raw.buildTag : 'latest',
    environmentVariables: stringRecord(legacy ? raw.env : raw.environmentVariables),
    dockerfile,
    contextDir,
    inputSchema: readInputSchema(raw.inputSchema ?? raw.input, root, actorDir, fromActorDir),
    defaultMemoryMbytes: typeof raw.defaultMemoryMbytes === 'number' ? raw.defaultMemoryMbytes : undefined,
  };
}

function readInputSchema(declared: unknown, root: string, actorDir: string, fromActorDir: (p: string) => string): unknown {
  if (declared !== null && typeof declared === 'object') return declared;
  if (typeof declared === 'string') return readJson(fromActorDir(declared));
  const found = [
    join(actorDir, 'INPUT_SCHEMA.json'),
    join(root, 'INPUT_SCHEMA.json'),
    join(actorDir, 'input_schema.json'),
    join(root, 'input_schema.json'),
  ].find(isFile);
  return found ? readJson(found) : undefined;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ActorDefinitionError(`Cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ActorDefinitionError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function stringField(raw: Record<string, unknown>, key: string, file: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || !value) throw new ActorDefinitionError(`${file} has no "${key}"`);
  return value;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
