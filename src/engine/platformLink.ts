/**
 * The seam between the engine and the local platform (src/platform/). The engine asks, for each run about to start,
 * whether the run can be "at home" (the SDK's platform code path: the local Apify API and the events channel) and
 * where the container finds the platform; whoever serves the platform (the extension, `greenroom serve`,
 * `greenroom run`) implements the link. Without a link, or when the link says why not, the run uses local mode
 * (storages bind-mounted, no API), and its log says why in one line.
 */
import { createHash } from 'node:crypto';

/** What a run at home is given to reach the platform (docs/run-environment.md). */
export interface AtHomePlatform {
  /** The API base URL as the container reaches it (the Docker bridge gateway), e.g. `http://172.17.0.1:8321`. */
  apiBaseUrl: string;
  /** The API base URL as the host reaches it (loopback), for links a person opens (public record URLs). */
  publicBaseUrl: string;
  /** The run's events websocket URL as the container reaches it; the SDK opens it as given, so it carries the token. */
  eventsWebsocketUrl: string;
  /** The user the run belongs to (APIFY_USER_ID). */
  userId: string;
}

export type PlatformChoice = { atHome: true; platform: AtHomePlatform } | { atHome: false; reason: string };

/** The run the engine is about to start a container for (a fresh start, a resurrection or a migration). */
export interface PlatformRunRequest {
  actorRoot: string;
  runId: string;
  /** The run's own API token (newRunToken), also the events channel's credential. */
  runToken: string;
  /**
   * The API base URL the run's running container was already given: a process re-attaching to the run (the one
   * that served it died) serves the API there again when it can, so the container's calls reach it.
   */
  servedAt?: string;
}

export interface PlatformLink {
  /**
   * The platform for this run, or the reason it must stay in local mode (e.g. the server could not start). May start
   * the server on first use; must not throw for a reason a run can live with: say it in `reason` instead.
   */
  forRun(request: PlatformRunRequest): Promise<PlatformChoice>;
}

/**
 * How a run keeps its storages: `at-home` through the local API when a platform is linked (the default), `local`
 * bind-mounted as `apify run` does (`--storage-mode local`, the setting `greenroom.run.storageMode`).
 */
export const STORAGE_MODES = ['at-home', 'local'] as const;
export type StorageMode = (typeof STORAGE_MODES)[number];

/**
 * The Actor's id, as the platform's (17 characters of [a-zA-Z0-9]), derived from its name so that it is stable
 * without any state: the same name gives the same id in every process and after `.greenroom/` is deleted. The API
 * accepts it wherever it accepts the name.
 */
export function actorIdOf(actorName: string): string {
  return platformIdOf(`greenroom-actor:${actorName}`);
}

/** A platform-style id (17 characters of [a-zA-Z0-9]) derived from `seed` alone (Actors' and tasks' ids). */
export function platformIdOf(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}
