/** What every Actor command gets: the engines (through the registry) and the log terminals. */
import { ActorRegistry } from '../actors/actorRegistry';
import { LogTerminals } from '../runs/logTerminals';
import type { RunViews } from '../runView/runViews';

export interface Services {
  registry: ActorRegistry;
  logs: LogTerminals;
  /** Set once the run views exist (they need the services themselves). */
  runViews?: RunViews;
}
