/** The workspace root of a command-line run: `--workspace DIR`, else the Actor's git repository, else its parent folder. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export function defaultWorkspaceRoot(actorRoot: string): string {
  return gitTopLevel(actorRoot) ?? path.dirname(actorRoot);
}

function gitTopLevel(folder: string): string | undefined {
  try {
    const output = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return output.trim() ? path.resolve(output.trim()) : undefined;
  } catch {
    // Not in a git repository, or no git installed.
    return undefined;
  }
}
