/**
 * Waiting for a standby run's server to be ready, as the platform's readiness probe does: a GET of `/` with the
 * probe header (proxy.ts), again every PROBE_INTERVAL_MS until the server answers with a status below 500 (a server
 * still starting refuses the connection or answers 503).
 */
import { get } from 'node:http';
import { READINESS_PROBE_HEADER } from './proxy';

const PROBE_INTERVAL_MS = 100;

/** Resolves once the server at `target` is ready; rejects with the signal's reason once it aborts. */
export async function waitUntilReady(target: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    if (await probe(target, signal)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, PROBE_INTERVAL_MS);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

/** One probe: true when the server answered with a status below 500. */
function probe(target: string, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(`${target}/`, { headers: { [READINESS_PROBE_HEADER]: '1' }, signal, agent: false }, (answer) => {
      answer.resume();
      resolve((answer.statusCode ?? 500) < 500);
    });
    request.on('error', () => resolve(false));
  });
}
