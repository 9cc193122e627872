/** Who is calling the API: the user (full access) or one run's container (its own storages, see storageAccess). */
import type { FastifyRequest } from 'fastify';
import { invalidToken, missingToken } from './errors';
import type { FoundRun, RunDirectory } from './runDirectory';
import { runIdOfToken, sameToken } from './tokens';

export type Principal = { kind: 'user' } | { kind: 'run'; found: FoundRun };

/** The token of a request: `Authorization: Bearer <token>` (apify-client) or `?token=` (the platform accepts both). */
export function requestToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof query === 'string' && query ? query : undefined;
}

/** The principal a token stands for; a 401 ApiError when it stands for nobody. */
export function authenticate(token: string | undefined, userToken: string, runs: RunDirectory): Principal {
  if (!token) throw missingToken();
  if (sameToken(token, userToken)) return { kind: 'user' };
  const runId = runIdOfToken(token);
  const found = runId ? runs.findRun(runId) : undefined;
  const expected = found?.run.greenroom.apiToken;
  if (found && expected && sameToken(token, expected)) return { kind: 'run', found };
  throw invalidToken();
}
