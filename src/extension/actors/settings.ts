/** Greenroom's engine settings (`greenroom.docker.*`, `greenroom.runs.keep`, `greenroom.run.*`) as the workspace's engine settings. */
import * as vscode from 'vscode';
import type { DockerEndpointOptions, StorageMode } from '../../engine';
import type { EngineSettings } from '../../workspace';

export interface RunDefaults {
  memoryMbytes?: number;
  timeoutSecs?: number;
  storageMode?: StorageMode;
  devMode?: boolean;
}

/** Settings that change how an engine is made: a change to any of them re-creates the engines. */
export const ENGINE_SETTINGS = ['greenroom.docker', 'greenroom.runs.keep', 'greenroom.run.gracefulAbortSecs', 'greenroom.run.devModeWarmStart'];

export function engineSettings(actorRoot: string): EngineSettings {
  const config = vscode.workspace.getConfiguration('greenroom', vscode.Uri.file(actorRoot));
  const docker: DockerEndpointOptions = {
    host: config.get<string>('docker.host') || undefined,
    socketPath: config.get<string>('docker.socketPath') || undefined,
  };
  return {
    origin: 'DEVELOPMENT',
    docker,
    keepRuns: config.get<number>('runs.keep'),
    gracefulAbortMs: (config.get<number>('run.gracefulAbortSecs') ?? 30) * 1000,
    warmStarts: config.get<boolean>('run.devModeWarmStart') ?? true,
  };
}

/** Memory, timeout, storage mode and dev mode for runs started without explicit options; unset means the engine's own defaults. */
export function runDefaults(actorRoot: string): RunDefaults {
  const config = vscode.workspace.getConfiguration('greenroom', vscode.Uri.file(actorRoot));
  return {
    memoryMbytes: config.get<number>('run.memoryMbytes') || undefined,
    timeoutSecs: config.get<number>('run.timeoutSecs') || undefined,
    storageMode: config.get<StorageMode>('run.storageMode') === 'local' ? 'local' : undefined,
    devMode: config.get<boolean>('run.devMode') || undefined,
  };
}
