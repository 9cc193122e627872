import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './lspProcess';

/** A throw-away copy of the example Actor, so tests can edit files freely. */
export function copyExampleActor(): { root: string; file: (relative: string) => string; read: (relative: string) => string; dispose: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-lsp-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'hello-actor'), root, { recursive: true });
  const file = (relative: string) => path.join(root, relative);
  return {
    root,
    file,
    read: (relative) => fs.readFileSync(file(relative), 'utf8'),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Offset of the `occurrence`-th match of `needle` plus `delta`, as an LSP position in `text`. */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, index + delta);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
