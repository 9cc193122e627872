/**
 * fs.watch on one folder (not recursive), also before it exists: until then its nearest existing parent is watched,
 * and the watch moves to the folder once it appears (a run creates its dataset folder with its first item) or back
 * to a parent when it is deleted (a purge). Chosen over VS Code's file watcher, which in the test workbench missed
 * item and schema writes now and then. A burst of events (a run writing a thousand items a second) is handled once
 * per BURST_MS: one check whether the watch must move, one `onChange` with the names of the folder's entries that
 * changed (undefined when that cannot be told: the folder itself appeared or went, or the platform gave no name).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const BURST_MS = 100;

export function watchFolder(folder: string, onChange: (names: Set<string> | undefined) => void): vscode.Disposable {
  let watcher: fs.FSWatcher | undefined;
  let watched: string | undefined;
  let burst: NodeJS.Timeout | undefined;
  let names: Set<string> | undefined = new Set();
  const changed = () => {
    burst = undefined;
    const changedNames = names;
    names = new Set();
    if (watched !== folder || !fs.existsSync(folder)) {
      attach();
      return onChange(undefined);
    }
    onChange(changedNames);
  };
  const attach = () => {
    let target = folder;
    while (!fs.existsSync(target) && path.dirname(target) !== target) target = path.dirname(target);
    if (target === watched) return;
    watcher?.close();
    watched = target;
    try {
      watcher = fs.watch(target, (_event, name) => {
        if (target !== folder || !name) names = undefined;
        else names?.add(name.toString());
        burst ??= setTimeout(changed, BURST_MS);
      });
      watcher.on('error', () => {
        watcher?.close();
        watched = undefined;
      });
    } catch {
      watcher = undefined;
      watched = undefined;
    }
  };
  attach();
  return new vscode.Disposable(() => {
    clearTimeout(burst);
    watcher?.close();
  });
}
