/**
 * Query parameters as the platform reads them (and apify-client writes them): booleans as `1`/`0` or `true`/`false`,
 * lists comma-separated, numbers in decimal, a parameter given twice taken last. A malformed value is a 400 naming
 * the parameter, never silently a default. Each reader takes a route's `request.query` as Fastify gives it.
 */
import { parseFlag, splitList } from '../storage/datasetViews/itemOptions';
import type { PageRequest } from './envelope';
import { invalidInput } from './errors';

export type Query = Record<string, unknown>;

/** The platform's longest wait (`waitForFinish`), in seconds. */
export const MAX_WAIT_FOR_FINISH_SECS = 60;
/** The platform's page size for lists when `limit` is absent, and its largest. */
const DEFAULT_PAGE_LIMIT = 1000;

function text(query: unknown, name: string): string | undefined {
  const value = (query as Query | undefined)?.[name];
  if (value === undefined) return undefined;
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return String(last);
}

export function queryString(query: unknown, name: string): string | undefined {
  const value = text(query, name);
  return value === '' ? undefined : value;
}

export function queryNumber(query: unknown, name: string, rule: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const fits = Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && (rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max);
  if (!fits) {
    const range = [rule.min !== undefined && `≥ ${rule.min}`, rule.max !== undefined && `≤ ${rule.max}`].filter(Boolean).join(' and ');
    throw invalidInput(`Parameter "${name}" must be ${rule.integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${raw}"`);
  }
  return value;
}

/** A whole number ≥ 0 (or the given minimum), at most `max`. */
export function queryInteger(query: unknown, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  return queryNumber(query, name, { min: range.min ?? 0, max: range.max, integer: true });
}

/** A number of seconds above 0 and at most `max` (lockSecs may be fractional). */
export function querySeconds(query: unknown, name: string, max: number): number | undefined {
  const value = queryNumber(query, name, { max });
  if (value !== undefined && value <= 0) throw invalidInput(`Parameter "${name}" must be a number of seconds above 0 and at most ${max}, got "${value}"`);
  return value;
}

export function queryBoolean(query: unknown, name: string): boolean | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  const flag = parseFlag(raw);
  if (flag === undefined) throw invalidInput(`Parameter "${name}" must be true, false, 1 or 0, got "${raw}"`);
  return flag;
}

export function queryList(query: unknown, name: string): string[] | undefined {
  const raw = queryString(query, name);
  return raw === undefined ? undefined : splitList(raw);
}

/** `waitForFinish` in seconds: 0 when absent, at most the platform's 60 (a longer wait is cut to it, as there). */
export function waitForFinishSecs(query: unknown): number {
  return Math.min(queryNumber(query, 'waitForFinish', { min: 0 }) ?? 0, MAX_WAIT_FOR_FINISH_SECS);
}

/** `offset`, `limit` (default and most: 1000), `desc` of a list. */
export function pageRequest(query: unknown): PageRequest {
  return {
    offset: queryInteger(query, 'offset') ?? 0,
    limit: Math.min(queryInteger(query, 'limit') ?? DEFAULT_PAGE_LIMIT, DEFAULT_PAGE_LIMIT),
    desc: queryBoolean(query, 'desc') ?? false,
  };
}
