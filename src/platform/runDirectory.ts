/**
 * Runs and builds of every Actor in the workspace, found by id: the platform's ids are global, Greenroom's
 * records are kept per Actor (`<actor>/.greenroom/runs/<id>.json`). Nothing is cached: the records on disk are the
 * truth, whichever process (extension, CLI) follows a run.
 */
import type { ActorEngine } from '../engine/engine';
import { actorIdOf } from '../engine/platformLink';
import type { BuildRecord, RunRecord } from '../engine/types';
import type { ActorWorkspace } from '../workspace/workspace';
import type { WorkspaceActor } from '../workspace/actor';
import { ActorNameError } from '../workspace/actorName';
import { invalidInput } from './errors';

export interface FoundRun {
  actor: WorkspaceActor;
  engine: ActorEngine;
  run: RunRecord;
}

export interface FoundBuild {
  actor: WorkspaceActor;
  engine: ActorEngine;
  build: BuildRecord;
}

export interface FoundActor {
  actor: WorkspaceActor;
  engine: ActorEngine;
}

export class RunDirectory {
  constructor(readonly workspace: ActorWorkspace) {}

  /**
   * The Actor an API path names: its id (actorIdOf its name), `name`, `username/name` or `username~name`; undefined
   * for none. A malformed name, or one several Actors share, is a 400 saying so.
   */
  findActor(reference: string): FoundActor | undefined {
    const byId = (actors: readonly WorkspaceActor[]) => actors.find((actor) => actorIdOf(actor.name) === reference);
    let actor = byId(this.workspace.actors) ?? byId(this.workspace.refresh());
    if (!actor) {
      try {
        actor = this.workspace.findByName(reference);
      } catch (error) {
        if (error instanceof ActorNameError) throw invalidInput(error.message);
        throw error;
      }
    }
    return actor && { actor, engine: this.workspace.engineFor(actor.root) };
  }

  /** Every Actor of the workspace with its engine, as found now. */
  allActors(): FoundActor[] {
    return this.workspace.refresh().map((actor) => ({ actor, engine: this.workspace.engineFor(actor.root) }));
  }

  findRun(runId: string): FoundRun | undefined {
    return this.search((actor, engine) => {
      const run = engine.getRun(runId);
      return run && { actor, engine, run };
    });
  }

  findBuild(buildId: string): FoundBuild | undefined {
    return this.search((actor, engine) => {
      const build = engine.getBuild(buildId);
      return build && { actor, engine, build };
    });
  }

  /** Looks through the Actors as last found, then once more after searching the workspace again (a new Actor). */
  private search<T>(lookup: (actor: WorkspaceActor, engine: ActorEngine) => T | undefined): T | undefined {
    const inActors = (actors: readonly WorkspaceActor[]): T | undefined => {
      for (const actor of actors) {
        const found = lookup(actor, this.workspace.engineFor(actor.root));
        if (found) return found;
      }
      return undefined;
    };
    return inActors(this.workspace.actors) ?? inActors(this.workspace.refresh());
  }
}
