/**
 * What the engine needs from an Actor's definition (fact sheet §1–2): name, version, default build tag,
 * environment variables, the Dockerfile and build context, the input schema. File lookup is the
 * validator's (resolveActorFiles), so the editor and the engine always agree on which files are used;
 * the validator also owns the verdict on whether they are valid.
 */
import { join } from 'node:path';
import { diskFileSource, resolveActorFiles } from '../validator';

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

export function readActorDefinition(root: string): ActorDefinition {
  const actorJson = join(root, '.actor', 'actor.json');
  const legacy = !diskFileSource.exists(actorJson);
  const file = legacy ? join(root, 'apify.json') : actorJson;
  const raw = readJson(file) as Record<string, unknown>;
  const files = resolveActorFiles(root, diskFileSource);
  const fileFor = (role: string) => files.find((f) => f.role === role)?.path;

  const dockerfile = fileFor('dockerfile');
  if (!dockerfile || !diskFileSource.exists(dockerfile)) {
    throw new ActorDefinitionError(`No Dockerfile found for the Actor at ${root} (looked in .actor/ and the Actor root)`);
  }
  const contextDir = fileFor('dockerContextDir') ?? root;
  if (!diskFileSource.isDirectory(contextDir)) throw new ActorDefinitionError(`dockerContextDir ${contextDir} is not a folder`);
  const declaredSchema = raw.inputSchema ?? raw.input;
  const inputSchemaFile = fileFor('input');

  return {
    root,
    name: stringField(raw, 'name', file),
    version: stringField(raw, 'version', file),
    buildTag: typeof raw.buildTag === 'string' && raw.buildTag ? raw.buildTag : 'latest',
    environmentVariables: stringRecord(legacy ? raw.env : raw.environmentVariables),
    dockerfile,
    contextDir,
    inputSchema: declaredSchema !== null && typeof declaredSchema === 'object' ? declaredSchema : inputSchemaFile ? readJson(inputSchemaFile) : undefined,
    defaultMemoryMbytes: typeof raw.defaultMemoryMbytes === 'number' ? raw.defaultMemoryMbytes : undefined,
  };
}

function readJson(file: string): unknown {
  const text = diskFileSource.readFile(file);
  if (text === undefined) throw new ActorDefinitionError(`Cannot read ${file}`);
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
