/**
 * API tokens. The user token (printed by `greenroom serve`, kept in the workspace's platform file) can do
 * everything. A run's token is given to its container only: it names the run, so the server finds the run's record
 * and checks the secret there, without any state of its own (a restarted server accepts the tokens of runs that
 * outlived the previous one).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

const USER_PREFIX = 'greenroom_api_';
const RUN_PREFIX = 'greenroom_run_';

export function newUserToken(): string {
  return USER_PREFIX + randomBytes(24).toString('base64url');
}

/** A new token for a run; the run record keeps it (RunInternals.apiToken). */
export function newRunToken(runId: string): string {
  return `${RUN_PREFIX}${runId}_${randomBytes(24).toString('base64url')}`;
}

/** The run id a run token names, or undefined for any other string. */
export function runIdOfToken(token: string): string | undefined {
  if (!token.startsWith(RUN_PREFIX)) return undefined;
  const rest = token.slice(RUN_PREFIX.length);
  const separator = rest.indexOf('_');
  return separator > 0 ? rest.slice(0, separator) : undefined;
}

/** Constant-time comparison, so a wrong token's timing says nothing about the right one. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
