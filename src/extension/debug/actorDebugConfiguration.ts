/**
 * The `actor` debug configuration (docs/debugging.md#vs-code): which Actor, its input and run options, and how it
 * becomes the engine's run options. The provider offers one per Actor and fills a bare F5 (no launch.json).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStartOptions } from '../../engine';
import type { ActorRegistry } from '../actors/actorRegistry';

export const ACTOR_DEBUG_TYPE = 'actor';

export interface ActorDebugConfiguration extends vscode.DebugConfiguration {
  /** The Actor's folder. */
  actor?: string;
  input?: unknown;
  inputFile?: string;
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
  devMode?: boolean;
  /** Debug a resurrection of this finished run instead of a new run (Actor: Debug on a run row). */
  resurrectRunId?: string;
}

/** The engine's run options for a configuration (the Actor's folder is the engine's). */
export function debugRunOptions(config: ActorDebugConfiguration, folder: string): RunStartOptions {
  return {
    debug: true,
    devMode: config.devMode === true,
    ...(config.input !== undefined && { input: config.input }),
    ...(config.inputFile !== undefined && { inputFile: path.resolve(folder, config.inputFile) }),
    ...(config.build !== undefined && { build: config.build }),
    ...(config.memoryMbytes !== undefined && { memoryMbytes: config.memoryMbytes }),
    ...(config.timeoutSecs !== undefined && { timeoutSecs: config.timeoutSecs }),
  };
}

export class ActorDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly registry: ActorRegistry) {}

  /** launch.json's initial configurations: one per Actor of the folder, in dev mode. */
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const actors = this.registry.actors.filter((actor) => !folder || actor.root.startsWith(folder.uri.fsPath));
    return actors.map((actor) => ({
      type: ACTOR_DEBUG_TYPE,
      request: 'launch',
      name: `Debug ${actor.name}`,
      actor: folder ? `\${workspaceFolder}/${path.relative(folder.uri.fsPath, actor.root).split(path.sep).join('/')}` : actor.root,
      devMode: true,
    }));
  }

  /**
   * F5 with no launch.json (VS Code asks the `*` providers with an empty configuration first), or a configuration
   * without `actor`: the active editor's Actor, the only one, or asked.
   */
  async resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: ActorDebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const bare = !config.type && !config.request && !config.name;
    if (bare && this.registry.actors.length > 0) Object.assign(config, { type: ACTOR_DEBUG_TYPE, request: 'launch', devMode: true });
    if (config.type !== ACTOR_DEBUG_TYPE) return config;
    if (!config.actor) {
      const actor = await this.registry.pick(undefined, 'Debug');
      if (!actor) return undefined;
      config.actor = actor.root;
      config.name ||= `Debug ${actor.name}`;
    }
    config.name ||= 'Debug Actor';
    return config;
  }
}
