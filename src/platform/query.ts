/**
 * Query parameters as the platform reads them (and apify-client writes them): booleans as `1`/`0` or `true`/`false`,
 * lists comma-separated, numbers in decimal. A malformed value is a 400 naming the parameter, never a silent default.
 */
import type { FastifyRequest } from 'fastify';
import { invalidInput } from './errors';

type Query = Record<string, string | string[] | undefined>;

function raw(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Query | undefined)?.[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = raw(request, name);
  return value === undefined || value === '' ? undefined : value;
}

export function queryBoolean(request: FastifyRequest, name: string): boolean | undefined {
  const value = raw(request, name);
  if (value === undefined || value === '') return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw invalidInput(`Query parameter "${name}" must be a boolean (1, 0, true or false), got "${value}"`);
}

export function queryInteger(request: FastifyRequest, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = raw(request, name);
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  if (!/^-?\d+$/.test(value) || number < min || number > max) {
    throw invalidInput(`Query parameter "${name}" must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** A positive number of seconds (lockSecs may be fractional). */
export function querySeconds(request: FastifyRequest, name: string, max: number): number | undefined {
  const value = raw(request, name);
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > max) throw invalidInput(`Query parameter "${name}" must be a number of seconds above 0 and at most ${max}, got "${value}"`);
  return number;
}

export function queryList(request: FastifyRequest, name: string): string[] | undefined {
  const value = raw(request, name);
  if (value === undefined || value === '') return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** offset/limit/desc of a list of storages (the platform's defaults: limit 1000, at most 1000). */
export function listPageRequest(request: FastifyRequest): { offset: number; limit: number; desc: boolean } {
  return {
    offset: queryInteger(request, 'offset') ?? 0,
    limit: queryInteger(request, 'limit', { max: 1000 }) || 1000,
    desc: queryBoolean(request, 'desc') ?? false,
  };
}

/** A number (fractions allowed, e.g. a timeout in seconds) within the range. */
export function queryNumber(request: FastifyRequest, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = raw(request, name);
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  const { min = 0, max } = range;
  if (!Number.isFinite(number) || number < min || (max !== undefined && number > max)) {
    throw invalidInput(`Query parameter "${name}" must be a number ${max === undefined ? `≥ ${min}` : `from ${min} to ${max}`}, got "${value}"`);
  }
  return number;
}

/** The platform's longest wait (`waitForFinish`), in seconds. */
export const MAX_WAIT_FOR_FINISH_SECS = 60;

/** `waitForFinish` in seconds: 0 when absent, at most the platform's 60 (a longer wait is cut to it, as there). */
export function waitForFinishSecs(request: FastifyRequest): number {
  return Math.min(queryNumber(request, 'waitForFinish') ?? 0, MAX_WAIT_FOR_FINISH_SECS);
}
