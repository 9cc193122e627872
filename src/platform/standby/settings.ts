/**
 * A standby Actor's settings, from actor.json `actorStandby` (docs/platform.md#standby-mode). On the platform they
 * are the Actor's Standby settings (the API's `actorStandby` object, same names); Greenroom reads them from the
 * definition so they travel with the code. Every key is optional; a wrong one is refused, naming it.
 */

export interface StandbySettings {
  /** Concurrent requests a run may have at most; one more starts (or waits for) another run. */
  maxRequestsPerActorRun: number;
  /** Concurrent requests a run should have; when every run has this many, another is started ahead of need. */
  desiredRequestsPerActorRun: number;
  /** A run that has had no request for this long is wound down (gracefully aborted). */
  idleTimeoutSecs: number;
  /** The build tag or number standby runs use; default: the run's usual one (actor.json `buildTag`). */
  build?: string;
  /** The memory of standby runs; default: the Actor's usual default. */
  memoryMbytes?: number;
}

/** The defaults, those Apify Console shows for a new Standby Actor as far as we could see (no platform source says so). */
export const STANDBY_DEFAULTS = { maxRequestsPerActorRun: 4, desiredRequestsPerActorRun: 3, idleTimeoutSecs: 300 } as const;

const KEYS = ['maxRequestsPerActorRun', 'desiredRequestsPerActorRun', 'idleTimeoutSecs', 'build', 'memoryMbytes'];

export class StandbySettingsError extends Error {
  name = 'StandbySettingsError';
}

/** The settings from actor.json `actorStandby` (absent: the defaults); a StandbySettingsError names what is wrong. */
export function standbySettings(actorStandby: unknown): StandbySettings {
  if (actorStandby === undefined) return { ...STANDBY_DEFAULTS };
  if (actorStandby === null || typeof actorStandby !== 'object' || Array.isArray(actorStandby)) {
    throw new StandbySettingsError(`actor.json "actorStandby" must be an object, got ${JSON.stringify(actorStandby)}`);
  }
  const given = actorStandby as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !KEYS.includes(key));
  if (unknown.length) throw new StandbySettingsError(`actor.json "actorStandby" has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${KEYS.join(', ')}`);
  const count = (key: string, fallback: number): number => {
    const value = given[key];
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < 1) throw new StandbySettingsError(`actor.json "actorStandby.${key}" must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const maxRequestsPerActorRun = count('maxRequestsPerActorRun', STANDBY_DEFAULTS.maxRequestsPerActorRun);
  const desiredRequestsPerActorRun = count('desiredRequestsPerActorRun', Math.min(STANDBY_DEFAULTS.desiredRequestsPerActorRun, maxRequestsPerActorRun));
  if (desiredRequestsPerActorRun > maxRequestsPerActorRun) {
    throw new StandbySettingsError(`actor.json "actorStandby.desiredRequestsPerActorRun" (${desiredRequestsPerActorRun}) must not exceed maxRequestsPerActorRun (${maxRequestsPerActorRun})`);
  }
  const settings: StandbySettings = { maxRequestsPerActorRun, desiredRequestsPerActorRun, idleTimeoutSecs: count('idleTimeoutSecs', STANDBY_DEFAULTS.idleTimeoutSecs) };
  if (given.build !== undefined) {
    if (typeof given.build !== 'string' || !given.build) throw new StandbySettingsError(`actor.json "actorStandby.build" must be a build tag or number, got ${JSON.stringify(given.build)}`);
    settings.build = given.build;
  }
  // The range is the Actor's (memory.ts): the run's start refuses a size outside it, naming the range.
  if (given.memoryMbytes !== undefined) settings.memoryMbytes = count('memoryMbytes', 0);
  return settings;
}
