/**
 * The Actors under a workspace's roots and one engine per Actor, for every adapter (extension, CLI, and the local
 * platform's `Actor.call('name')`). The adapter says where the roots are and which engine settings (Docker
 * endpoint, run retention, secrets…) an Actor gets; after those settings change, engines are made anew.
 */
import { ActorEngine, ActorEngineOptions } from '../engine/engine';
import { describeActor, WorkspaceActor } from './actor';
import { findActorByName } from './actorName';
import { findActorRoots, isActorRoot } from './actorRoots';

/** Everything an engine is made with but the Actor's folder. */
export type EngineSettings = Omit<ActorEngineOptions, 'actorRoot'>;

export interface ActorWorkspaceOptions {
  /** The workspace roots (asked again on each search: a multi-root workspace gains and loses folders). */
  roots: () => readonly string[];
  /** The engine settings of an Actor (per Actor: VS Code settings may differ by folder). */
  engineSettings: (actorRoot: string) => EngineSettings;
}

export class ActorWorkspace {
  private found: WorkspaceActor[] | undefined;
  private readonly engines = new Map<string, ActorEngine>();

  constructor(private readonly options: ActorWorkspaceOptions) {}

  /** The Actors under the roots, by folder, as last searched (searching the first time). */
  get actors(): readonly WorkspaceActor[] {
    return this.found ?? this.refresh();
  }

  /** The workspace's folders now (the first one keeps the user's own storages and the platform file). */
  rootFolders(): readonly string[] {
    return this.options.roots();
  }

  /** Searches the roots again (Actors created, renamed or deleted). */
  refresh(): readonly WorkspaceActor[] {
    const roots = findActorRoots(this.options.roots());
    this.found = roots.map((root) => describeActor(root));
    return this.found;
  }

  /**
   * The Actor named `name`, `username/name` or `username~name` (searching again when the last search has none of
   * that name); an ActorNameError for a malformed name or one several Actors share.
   */
  findByName(reference: string): WorkspaceActor | undefined {
    const searched = this.found;
    return (searched && findActorByName(searched, reference)) ?? findActorByName(this.refresh(), reference);
  }

  /** The engine of the Actor in `actorRoot`, made on first use with the adapter's current settings. */
  engineFor(actorRoot: string): ActorEngine {
    let engine = this.engines.get(actorRoot);
    if (!engine) {
      if (!isActorRoot(actorRoot)) throw new Error(`${actorRoot} is not an Actor folder (no .actor/actor.json or apify.json)`);
      engine = new ActorEngine({ ...this.options.engineSettings(actorRoot), actorRoot });
      this.engines.set(actorRoot, engine);
    }
    return engine;
  }

  /** The engine settings changed: every engine is disposed, and the next engineFor() makes a new one. */
  settingsChanged(): void {
    for (const actorRoot of [...this.engines.keys()]) this.releaseEngine(actorRoot);
  }

  /** Disposes the engine of an Actor that is gone (or no longer shown). */
  releaseEngine(actorRoot: string): void {
    this.engines.get(actorRoot)?.dispose();
    this.engines.delete(actorRoot);
  }

  dispose(): void {
    this.settingsChanged();
  }
}
