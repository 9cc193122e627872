/**
 * Query parameters as the platform reads them: numbers, booleans (`1`/`true`), list paging. A malformed value is a
 * 400 naming the parameter, never silently a default.
 */
import type { PageRequest } from './envelope';
import { invalidInput } from './errors';

export type Query = Record<string, unknown>;

/** The platform's longest wait (`waitForFinish`), in seconds. */
export const MAX_WAIT_FOR_FINISH_SECS = 60;
/** The platform's page size for runs, builds and Actors when `limit` is absent, and its largest. */
const DEFAULT_PAGE_LIMIT = 1000;

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  // A parameter given twice arrives as an array: the platform takes the last.
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return String(last);
}

export function queryString(query: Query, name: string): string | undefined {
  const value = text(query, name);
  return value === '' ? undefined : value;
}

export function queryNumber(query: Query, name: string, rule: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
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

export function queryBoolean(query: Query, name: string): boolean | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw invalidInput(`Parameter "${name}" must be true, false, 1 or 0, got "${raw}"`);
}

/** `waitForFinish` in seconds: 0 when absent, at most the platform's 60 (a longer wait is cut to it, as there). */
export function waitForFinishSecs(query: Query): number {
  return Math.min(queryNumber(query, 'waitForFinish', { min: 0 }) ?? 0, MAX_WAIT_FOR_FINISH_SECS);
}

/** `offset`, `limit`, `desc` of a list of runs, builds or Actors. */
export function pageRequest(query: Query): PageRequest {
  return {
    offset: queryNumber(query, 'offset', { min: 0, integer: true }) ?? 0,
    limit: Math.min(queryNumber(query, 'limit', { min: 0, integer: true }) ?? DEFAULT_PAGE_LIMIT, DEFAULT_PAGE_LIMIT),
    desc: queryBoolean(query, 'desc') ?? false,
  };
}

/** A comma-separated list (apify-client writes arrays so: `fields=a,b`); undefined when absent or empty. */
export function queryList(query: Query, name: string): string[] | undefined {
  const value = queryString(query, name);
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}
