/**
 * Turning ajv's `allErrors` output into one meaningful diagnostic per location. ajv reports every failed branch of
 * every oneOf/anyOf/if; people need the one that explains the problem.
 */
import type { ErrorObject } from 'ajv';
import type { DiagnosticCode, SchemaCodes } from './codes';
import { JsonPath, pointerToPath } from './json';
import { closestSpellings, describeType, dotted, expectedType, listAnd, listOr, quote, suggestSpelling } from './messages';
import { Report, Site } from './report';
import { MetaSchemaKind, metaSchemaValidator } from './metaSchemas';
import { QuickFix } from './types';

/** A problem ready to be reported: where, what, and how to fix it. */
export interface Finding {
  path: JsonPath;
  part: 'key' | 'value';
  code: DiagnosticCode;
  message: string;
  fixes?: QuickFix[];
}

/** Optional per-file wording; return undefined to use the generic wording, null to drop the error. */
export type Phrasing = (error: ErrorObject, path: JsonPath) => Finding | null | undefined;

export interface SchemaErrorContext {
  site: Site;
  report: Report;
  /** The codes of the generic wording for this kind of file, e.g. Codes.actor. */
  codes: SchemaCodes;
  /** The validated value (to describe what was found instead). */
  data: unknown;
  /** Known keys per object path, for spelling suggestions on unknown keys. */
  knownKeys?: (objectPath: JsonPath) => readonly string[];
  phrase?: Phrasing;
}

/**
 * Validates `data` against a published meta-schema and reports the meaningful errors. Returns the platform's verdict.
 * Whatever the wording drops, a rejected value always gets at least one error.
 */
export function checkMetaSchema(kind: MetaSchemaKind, data: unknown, context: SchemaErrorContext, ignore?: (error: ErrorObject) => boolean): boolean {
  const validate = metaSchemaValidator(kind);
  if (validate(data)) return true;
  const errors = (validate.errors ?? []).filter((error) => !ignore?.(error));
  if (errors.length === 0) return false; // every error belongs to a part checked elsewhere
  if (reportSchemaErrors(errors, context) === 0) {
    const first = errors[0];
    const path = pointerToPath(first.instancePath);
    const finding = genericFinding(first, path, context);
    context.report.error(context.site, finding.path, finding.code, finding.message, { part: finding.part });
  }
  return false;
}

/** Reports the meaningful subset of `errors`; returns how many errors were reported. */
export function reportSchemaErrors(errors: readonly ErrorObject[], context: SchemaErrorContext): number {
  let reported = 0;
  const seen = new Set<string>();
  for (const error of meaningfulErrors(errors)) {
    const path = pointerToPath(error.instancePath);
    const phrased = context.phrase?.(error, path);
    if (phrased === null) continue;
    const finding = phrased ?? genericFinding(error, path, context);
    const identity = `${finding.code.id}|${dotted(finding.path)}|${finding.message}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    context.report.error(context.site, finding.path, finding.code, finding.message, { part: finding.part, fixes: finding.fixes });
    reported++;
  }
  return reported;
}

/** Keys whose value selects a oneOf branch: a wrong value there means "other branch", not "error". */
const DISCRIMINATORS = new Set(['type', 'editor', 'component']);

type SummarizedError = ErrorObject & { branchTypes?: string[]; missingAlternatives?: string[] };

/**
 * Drops cascades: `if` failures (the `then`/`else` error says why) and, for a failed oneOf/anyOf, the branches that do
 * not apply (wrong type, other discriminator value, missing required key) — keeping the errors of the branch that
 * applies, or one summary error ("must be a string or an object") when none does.
 */
export function meaningfulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'if') dropped.add(error);
    if ((error.keyword !== 'oneOf' && error.keyword !== 'anyOf') || error.params?.passingSchemas) continue;
    const prefix = `${error.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const other of errors) {
      if (!other.schemaPath.startsWith(prefix)) continue;
      const index = other.schemaPath.slice(prefix.length).split('/')[0];
      branches.set(index, [...(branches.get(index) ?? []), other]);
    }
    const applicable = [...branches.values()].filter((branchErrors) => !branchErrors.some((e) => isBranchMismatch(e, error.instancePath)));
    const unbranched = errors.some((other) => other !== error && !other.schemaPath.startsWith(prefix) && other.keyword !== 'if'
      && isAtOrBelow(other.instancePath, error.instancePath) && !other.schemaPath.startsWith(error.schemaPath.replace(/\/(oneOf|anyOf)$/, '/')));
    const keep = applicable.length ? applicable.reduce((best, candidate) => (candidate.length < best.length ? candidate : best)) : [];
    for (const branchErrors of branches.values()) {
      if (branchErrors !== keep) branchErrors.forEach((e) => dropped.add(e));
    }
    if (keep.length || unbranched) {
      dropped.add(error);
      continue;
    }
    const summary = error as SummarizedError;
    const branchErrors = [...branches.values()].flat();
    summary.branchTypes = branchErrors.filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath).flatMap((e) => [e.params.type].flat());
    summary.missingAlternatives = branchErrors.filter((e) => e.keyword === 'required' && e.instancePath === error.instancePath).map((e) => String(e.params.missingProperty));
  }
  return errors.filter((error) => !dropped.has(error));
}

function isBranchMismatch(error: ErrorObject, branchPointer: string): boolean {
  if (error.instancePath === branchPointer) return ['type', 'required', 'not'].includes(error.keyword);
  const parent = error.instancePath.slice(0, error.instancePath.lastIndexOf('/'));
  const key = error.instancePath.slice(error.instancePath.lastIndexOf('/') + 1);
  return parent === branchPointer && DISCRIMINATORS.has(key) && (error.keyword === 'const' || error.keyword === 'enum');
}

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function subject(path: JsonPath): string {
  return path.length === 0 ? 'The file' : quote(dotted(path));
}

export function genericFinding(error: ErrorObject, path: JsonPath, context: SchemaErrorContext): Finding {
  const { codes } = context;
  const value = valueAt(context.data, path);
  const what = subject(path);
  switch (error.keyword) {
    case 'type':
      return { path, part: 'value', code: codes.wrongType, message: `${what} must be ${expectedType(error.params.type)}, not ${describeType(value)}.` };
    case 'required': {
      const missing = String(error.params.missingProperty);
      const where = path.length === 0 ? 'The file' : what;
      return { path, part: path.length ? 'key' : 'value', code: codes.missingProperty, message: `${where} is missing the required property ${quote(missing)}. Add it.` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(error.params.additionalProperty ?? error.params.unevaluatedProperty);
      return unknownKeyFinding(context, path, key);
    }
    case 'enum':
      return { path, part: 'value', code: codes.invalidValue, message: `${what} must be one of ${listOr(error.params.allowedValues)}, not ${quote(value)}.` };
    case 'const':
      return { path, part: 'value', code: codes.invalidValue, message: `${what} must be ${quote(error.params.allowedValue)}, not ${quote(value)}.` };
    case 'oneOf':
    case 'anyOf': {
      const { branchTypes = [], missingAlternatives = [] } = error as SummarizedError;
      if (error.params?.passingSchemas) {
        return { path, part: 'value', code: codes.ambiguous, message: `${what} matches more than one allowed form; it must match exactly one.` };
      }
      if (branchTypes.length) {
        return { path, part: 'value', code: codes.wrongType, message: `${what} must be ${expectedType([...new Set(branchTypes)])}, not ${describeType(value)}.` };
      }
      if (missingAlternatives.length) {
        return { path, part: path.length ? 'key' : 'value', code: codes.missingProperty, message: `${what} needs ${listOr([...new Set(missingAlternatives)])}. Add one.` };
      }
      return { path, part: 'value', code: codes.invalidValue, message: `${what} does not match any allowed form.` };
    }
    case 'not':
      return { path, part: 'value', code: codes.invalidValue, message: `${what} uses a combination of properties that is not allowed.` };
    case 'propertyNames': {
      return { path, part: 'value', code: codes.invalidKey, message: `${what} has an invalid key name.` };
    }
    case 'pattern':
      return { path, part: 'value', code: codes.invalidValue, message: `${what} must match the pattern ${error.params.pattern}, not ${quote(value)}.` };
    default:
      return { path, part: 'value', code: codes.invalidValue, message: `${what} ${error.message ?? 'is not valid'}.` };
  }
}

/** How many known keys an unknown-key message names when none is close enough to be the intended one. */
const CLOSEST_KEYS_SHOWN = 3;

/**
 * An unknown key: "not allowed" where the platform rejects it, "ignored" where it only skips it (`ignored`). The
 * advice names the intended key when one is close, else the few nearest known keys rather than all of them.
 */
export function unknownKeyFinding(context: SchemaErrorContext, objectPath: JsonPath, key: string, ignored = false): Finding {
  const known = context.knownKeys?.(objectPath) ?? [];
  const suggestion = suggestSpelling(key, known);
  const where = objectPath.length === 0 ? 'at the top level' : `in ${quote(dotted(objectPath))}`;
  const fixes: QuickFix[] | undefined = suggestion
    ? [{ title: `Rename to ${quote(suggestion)}`, changes: [context.site.renameKey([...objectPath, key], suggestion)], preferred: true }]
    : undefined;
  const closest = closestSpellings(key, known, CLOSEST_KEYS_SHOWN);
  const advice = suggestion ? `Did you mean ${quote(suggestion)}?` : closest.length ? `The closest known keys are ${listAnd(closest)}.` : ignored ? '' : 'Remove it.';
  const verdict = ignored ? `The platform does not know the key ${quote(key)} ${where} and ignores it.` : `The key ${quote(key)} is not allowed ${where}.`;
  return { path: [...objectPath, key], part: 'key', code: context.codes.unknownKey, message: `${verdict}${advice ? ` ${advice}` : ''}`, fixes };
}
