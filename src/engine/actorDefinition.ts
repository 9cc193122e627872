/**
 * What the engine needs from an Actor's definition (docs/file-formats.md#actorjson): name, version, default build tag,
 * environment variables, the Dockerfile and build context, the input schema. File lookup is the
 * validator's (resolveActorFiles), so the editor and the engine always agree on which files are used;
 * the validator also owns the verdict on whether they are valid.
 */
import { join } from 'node:path';
import { ActorValidator, diskFileSource, formatDiagnostic, resolveActorFiles } from '../validator';
import { Codes } from '../validator/codes';

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
  /** actor.json's memory keys as written (fact sheet §1): the run's limits and default, see memory.ts. */
  memory: { minMbytes?: number; maxMbytes?: number; defaultMbytes?: number | string };
  /** actor.json `storages` aliases other than `default` (`datasets`, and `keyValueStores`/`requestQueues` alike): each run gets its own. */
  storageAliases: StorageAliases;
  /** actor.json `usesStandbyMode`: the Actor is served at a standby URL (src/platform/standby/). */
  usesStandbyMode: boolean;
  /** actor.json `actorStandby` as written: the standby settings, read (and refused when invalid) by standbySettings(). */
  actorStandby: unknown;
}

export interface StorageAliases {
  datasets: string[];
  keyValueStores: string[];
  requestQueues: string[];
}

/** The platform's alias rule (fact sheet §2); a name that breaks it is the validator's error, and no storage here. */
const STORAGE_ALIAS = /^[A-Za-z][A-Za-z0-9_]{0,100}$/;

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
    memory: {
      minMbytes: numberField(raw, 'minMemoryMbytes'),
      maxMbytes: numberField(raw, 'maxMemoryMbytes'),
      defaultMbytes: typeof raw.defaultMemoryMbytes === 'string' ? raw.defaultMemoryMbytes : numberField(raw, 'defaultMemoryMbytes'),
    },
    storageAliases: storageAliases(raw.storages),
    usesStandbyMode: raw.usesStandbyMode === true,
    actorStandby: raw.actorStandby,
  };
}

/**
 * The validator's errors on the Actor's definition, one `file:line:column: error message [code]` line each: the
 * platform's build fails on them. Warnings don't count, nor do local INPUT.json files (the platform never sees them),
 * nor the validator's own failure on a file (Codes.internalError: a bug of ours must not block a build the platform allows).
 */
export function definitionErrors(root: string): string[] {
  const { diagnostics, files } = new ActorValidator(diskFileSource).validateActor(root, { warnings: 'none' });
  const localInputs = new Set(files.filter((f) => f.role === 'inputObject').map((f) => f.path));
  const refused = diagnostics.filter((d) => d.severity === 'error' && d.code !== Codes.internalError.id && !localInputs.has(d.file));
  return refused.map((d) => formatDiagnostic(d, root));
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

function numberField(raw: Record<string, unknown>, key: string): number | undefined {
  const value = raw[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function storageAliases(storages: unknown): StorageAliases {
  const declared = (storages && typeof storages === 'object' ? storages : {}) as Record<string, unknown>;
  const aliases = (key: string) => {
    const value = declared[key];
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.keys(value).filter((alias) => alias !== 'default' && STORAGE_ALIAS.test(alias));
  };
  return { datasets: aliases('datasets'), keyValueStores: aliases('keyValueStores'), requestQueues: aliases('requestQueues') };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
