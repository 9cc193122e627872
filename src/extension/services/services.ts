/** What every Actor command gets: the engines (through the registry) and the log terminals. */
import { ActorRegistry } from '../actors/actorRegistry';
import { LogTerminals } from '../runs/logTerminals';

export interface Services {
  registry: ActorRegistry;
  logs: LogTerminals;
}
