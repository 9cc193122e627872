// Types for code-server.cjs, so that the TypeScript test launcher can use it.
import type { ChildProcess } from 'node:child_process';

export declare const REPO_ROOT: string;
export declare const CODE_SERVER_BIN: string;

export interface StartOptions {
  /** Folder that receives all of code-server's state: user data, extensions, TMPDIR, XDG dirs. */
  stateDir: string;
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  /** Defaults to `<stateDir>/extensions`. */
  extensionsDir?: string;
  /** Defaults to `<stateDir>/code-server.log`. */
  logFile?: string;
  /** Extra environment for code-server and so for its extension hosts. */
  env?: Record<string, string>;
  /** Also copy code-server's output to stdout. */
  echo?: boolean;
}

export interface RunningCodeServer {
  process: ChildProcess;
  /** host:port */
  authority: string;
  url: string;
  stop(): Promise<void>;
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  remoteUri(absPath: string): string;
}

export declare function freePort(): Promise<number>;
export declare function startCodeServer(options: StartOptions): Promise<RunningCodeServer>;
