/**
 * Which standby run takes a request, and when another run is started (pure, so it is tested without Docker). A run
 * counts every request assigned to it, the ones waiting for its readiness included; it never gets more than its
 * maxRequestsPerActorRun at once.
 */

export interface RunLoad {
  /** Starting: the container is being made or its server is not ready yet. */
  ready: boolean;
  /** Requests assigned now (in flight or waiting for readiness). */
  assigned: number;
  maxRequests: number;
  desiredRequests: number;
}

/** The run for one more request: the least loaded ready run with room, else a starting one with room; undefined: start one. */
export function pickRun<T extends RunLoad>(runs: readonly T[]): T | undefined {
  const withRoom = runs.filter((run) => run.assigned < run.maxRequests);
  const leastLoaded = (candidates: T[]) => candidates.reduce<T | undefined>((best, run) => (!best || run.assigned < best.assigned ? run : best), undefined);
  return leastLoaded(withRoom.filter((run) => run.ready)) ?? leastLoaded(withRoom);
}

/** Whether to start a run ahead of need: every run has its desired load and none is starting already. */
export function needsAnotherRun(runs: readonly RunLoad[]): boolean {
  return runs.length > 0 && runs.every((run) => run.ready && run.assigned >= run.desiredRequests);
}
