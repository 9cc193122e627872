/** actor.json rules (and the legacy apify.json): the published meta-schema, the CLI's conventions, referenced files. */
import * as path from 'node:path';
import { Codes, DiagnosticCode } from './codes';
import { ActorReference, actorJsonPath, ACTOR_DIR, LEGACY_APIFY_JSON } from './files';
import { isPlainObject } from './json';
import { quote } from './messages';
import { actorMetaSchema } from './metaSchemas';
import { Report, Site } from './report';
import { checkMetaSchema, unknownKeyFinding } from './schemaErrors';
import { FileSource, QuickFix } from './types';

/** Keys the strict IDE variant allows at the root: the raw schema's plus `meta`, and Greenroom's standby settings (`actorStandby`). */
const IDE_ROOT_KEYS = [...Object.keys(actorMetaSchema.properties), 'meta', 'actorStandby'];
const NAME_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9-]{1,61})[a-zA-Z0-9]$/;
/** The required root keys, each with its own code (the meta-schema requires these three). */
const MISSING_ROOT_KEY_CODES: Record<string, DiagnosticCode | undefined> = {
  actorSpecification: Codes.actor.missingSpecification,
  name: Codes.actor.missingName,
  version: Codes.actor.missingVersion,
};
const MEMORY_KEYS = ['minMemoryMbytes', 'maxMemoryMbytes', 'defaultMemoryMbytes'] as const;

export function checkActorJson(site: Site, report: Report, actor: unknown, references: readonly ActorReference[], source: FileSource): void {
  const inlinePointers = references.filter((reference) => reference.inline !== undefined).map((reference) => `/${reference.declaredAt!.join('/')}/`);
  checkMetaSchema('actor', actor, {
    site, report, codes: Codes.actor, data: actor,
    phrase: (error, errorPath) => {
      const [key] = errorPath;
      if (key === 'version' && errorPath.length === 1 && error.keyword === 'pattern') {
        return { path: errorPath, part: 'value', code: Codes.actor.invalidVersion, message: '"version" must be MAJOR.MINOR or MAJOR.MINOR.PATCH with digits only, like "0.1" or "1.2.3".' };
      }
      if (key === 'actorSpecification' && errorPath.length === 1 && error.keyword !== 'type') {
        return { path: errorPath, part: 'value', code: Codes.actor.invalidSpecification, message: '"actorSpecification" must be 1.' };
      }
      if (errorPath.length === 0 && error.keyword === 'required') {
        const missing = String(error.params.missingProperty);
        const code = MISSING_ROOT_KEY_CODES[missing];
        return code && { path: [], part: 'value', code, message: `actor.json needs ${quote(missing)}.` };
      }
      if (key === 'storages' && errorPath.length === 1 && error.keyword === 'not') {
        return { path: ['storages', 'datasets'], part: 'key', code: Codes.actor.datasetAndDatasets, message: 'Use either "storages.dataset" or "storages.datasets", not both.' };
      }
      if (key === 'storages' && errorPath.length === 1 && error.keyword === 'additionalProperties') {
        const extra = String(error.params.additionalProperty);
        const finding = unknownKeyFinding({ site, report, codes: Codes.actor, data: actor, knownKeys: () => ['dataset', 'datasets', 'keyValueStore'] }, ['storages'], extra);
        return extra === 'requestQueue' ? { ...finding, message: '"storages.requestQueue" is not supported yet: no request-queue schema exists. Remove it.' } : finding;
      }
      if (key === 'storages' && errorPath[1] === 'datasets' && error.keyword === 'propertyNames') {
        return { path: ['storages', 'datasets'], part: 'value', code: Codes.actor.invalidDatasetAlias,
          message: 'Dataset aliases must start with a letter and contain only letters, digits and underscores (at most 101 characters).' };
      }
      return undefined;
    },
  }, (error) => inlinePointers.some((pointer) => `${error.instancePath}/`.startsWith(pointer) && `${error.instancePath}/` !== pointer));
  if (!isPlainObject(actor)) return;
  checkConventions(site, report, actor);
  checkReferencedFiles(site, report, references, source);
}

function checkConventions(site: Site, report: Report, actor: Record<string, unknown>): void {
  for (const key of Object.keys(actor)) {
    if (IDE_ROOT_KEYS.includes(key)) continue;
    const finding = unknownKeyFinding({ site, report, codes: Codes.actor, data: actor, knownKeys: () => IDE_ROOT_KEYS }, [], key, true);
    report.warning(site, finding.path, finding.code, finding.message, { part: 'key', fixes: finding.fixes, kind: 'unknownKey' });
  }
  if (typeof actor.name === 'string' && !NAME_PATTERN.test(actor.name)) {
    report.warning(site, ['name'], Codes.actor.invalidName,
      'The Actor name should be 3–63 characters of letters, digits and dashes, not starting or ending with a dash; the platform refuses other names on push.');
  }
  for (const [deprecated, current, code] of [['input', 'inputSchema', Codes.actor.duplicateInput], ['output', 'outputSchema', Codes.actor.duplicateOutput]] as const) {
    if (deprecated in actor && current in actor) {
      report.warning(site, [deprecated], code,
        `Both ${quote(deprecated)} and ${quote(current)} are set; only one is used. Keep ${quote(current)}.`, { part: 'key' });
    }
  }
  checkMemory(site, report, actor);
  if (isPlainObject(actor.environmentVariables)) {
    for (const [name, value] of Object.entries(actor.environmentVariables)) {
      if (typeof value === 'string' && value.startsWith('@')) {
        report.info(site, ['environmentVariables', name], Codes.actor.secretEnvironmentVariable,
          `${quote(name)} refers to the secret ${quote(value.slice(1))}, which exists only on the platform; give it a local value before running the Actor here.`);
      }
    }
  }
}

function checkMemory(site: Site, report: Report, actor: Record<string, unknown>): void {
  for (const key of MEMORY_KEYS) {
    const value = actor[key];
    if (Number.isInteger(value) && (value as number) >= 128 && ((value as number) & ((value as number) - 1)) !== 0) {
      report.warning(site, [key], Codes.actor.memoryNotPowerOfTwo, `${quote(key)} should be a power of two (128, 256, 512, …, 32768); the platform rounds other values.`);
    }
  }
  const { minMemoryMbytes: min, maxMemoryMbytes: max, defaultMemoryMbytes: fallback } = actor;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    report.warning(site, ['minMemoryMbytes'], Codes.actor.memoryMinGreaterThanMax, `"minMemoryMbytes" (${min}) is greater than "maxMemoryMbytes" (${max}).`);
  }
  if (typeof fallback === 'number' && ((typeof min === 'number' && fallback < min) || (typeof max === 'number' && fallback > max))) {
    report.warning(site, ['defaultMemoryMbytes'], Codes.actor.defaultMemoryOutOfRange, `"defaultMemoryMbytes" (${fallback}) is outside the min/max memory range.`);
  }
}

function checkReferencedFiles(site: Site, report: Report, references: readonly ActorReference[], source: FileSource): void {
  // Paths as the Actor's root sees them (".actor/Dockerfile", "Dockerfile"): actor.json's own are relative to .actor/.
  const actorRoot = path.dirname(path.dirname(site.file));
  const shown = (file: string) => path.relative(actorRoot, file) || file;
  for (const reference of references) {
    const at = reference.declaredAt ?? [];
    switch (reference.role) {
      case 'dockerfile':
        if (reference.missingNamedPath && reference.path) {
          report.warning(site, at, Codes.actor.dockerfileFallback,
            `"dockerfile" names ${shown(reference.missingNamedPath)}, which does not exist (paths in actor.json are relative to ${ACTOR_DIR}/); the build uses ${shown(reference.path)} instead. Fix the path.`);
        } else if (reference.missingNamedPath) {
          report.error(site, at, Codes.actor.missingDockerfile,
            `No Dockerfile found: "dockerfile" names ${shown(reference.missingNamedPath)}, which does not exist (paths in actor.json are relative to ${ACTOR_DIR}/), and neither .actor/Dockerfile nor ./Dockerfile exists.`);
        }
        break;
      case 'readme':
      case 'changelog':
        if (reference.missingNamedPath && !reference.path) {
          report.warning(site, at, reference.role === 'readme' ? Codes.actor.missingReadme : Codes.actor.missingChangelog, `${shown(reference.missingNamedPath)} does not exist (paths in actor.json are relative to ${ACTOR_DIR}/).`);
        }
        break;
      case 'dockerContextDir':
        if (reference.path && !source.isDirectory(reference.path)) {
          report.error(site, at, Codes.actor.missingDockerContextDir, `The Docker context folder ${shown(reference.path)} does not exist (paths in actor.json are relative to ${ACTOR_DIR}/).`);
        }
        break;
      default:
        if (reference.path && reference.declaredAt && !source.exists(reference.path)) {
          report.error(site, at, Codes.actor.missingSchemaFile, `${shown(reference.path)} does not exist (paths in actor.json are relative to ${ACTOR_DIR}/). Fix the path or create the file.`);
        }
    }
  }
  checkHasDockerfile(site, report, references);
}

/** Without a Dockerfile the platform cannot build the Actor, whichever file defines it (actor.json or apify.json). */
function checkHasDockerfile(site: Site, report: Report, references: readonly ActorReference[]): void {
  if (references.some((reference) => reference.role === 'dockerfile')) return;
  const naming = path.basename(site.file) === LEGACY_APIFY_JSON ? '' : ', or name one in "dockerfile"';
  report.error(site, [], Codes.actor.missingDockerfile, `No Dockerfile found: add .actor/Dockerfile (or ./Dockerfile)${naming}.`);
}

/**
 * The legacy apify.json: still works with the CLI, but should be migrated; the fix writes .actor/actor.json. It is
 * offered only for a file that parses: a migration of a broken file would lose what the parser could not read.
 */
export function checkLegacyApifyJson(site: Site, report: Report, legacy: unknown, actorRoot: string, references: readonly ActorReference[]): void {
  checkHasDockerfile(site, report, references);
  if (site.doc.hasSyntaxErrors) {
    report.warning(site, [], Codes.legacy.apifyJson, 'apify.json is the legacy Actor definition. Fix its JSON first; then a quick fix can migrate it to .actor/actor.json.');
    return;
  }
  if (!isPlainObject(legacy)) {
    report.error(site, [], Codes.legacy.notObject, 'apify.json must be a JSON object.');
    return;
  }
  const migrated = {
    actorSpecification: 1,
    name: typeof legacy.name === 'string' ? legacy.name : path.basename(actorRoot),
    version: typeof legacy.version === 'string' ? legacy.version : '0.0',
    buildTag: typeof legacy.buildTag === 'string' ? legacy.buildTag : 'latest',
    ...(isPlainObject(legacy.env) ? { environmentVariables: legacy.env } : {}),
  };
  const fix: QuickFix = {
    title: 'Migrate apify.json to .actor/actor.json',
    preferred: true,
    changes: [
      { kind: 'create', file: actorJsonPath(actorRoot), content: `${JSON.stringify(migrated, null, 4)}\n` },
      { kind: 'delete', file: site.file },
    ],
  };
  report.warning(site, [], Codes.legacy.apifyJson, 'apify.json is the legacy Actor definition. Migrate it to .actor/actor.json.', { fixes: [fix] });
}
