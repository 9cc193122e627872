/**
 * The events channel: one websocket per run, as the platform's (messages `{name, data}`). The SDK opens
 * ACTOR_EVENTS_WEBSOCKET_URL exactly as given, so the URL carries the run's id and its token.
 */

/** Path of a run's events websocket; the token is its `?token=` query (the SDK sends no header). */
export function runEventsPath(runId: string): string {
  return `/v2/actor-runs/${encodeURIComponent(runId)}/events`;
}

/** The events URL for a run, on the API base URL the container reaches (`http://…` becomes `ws://…`). */
export function runEventsUrl(apiBaseUrl: string, runId: string, runToken: string): string {
  const url = new URL(runEventsPath(runId), apiBaseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', runToken);
  return url.toString();
}
