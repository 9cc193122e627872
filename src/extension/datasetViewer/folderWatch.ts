/**
 * fs.watch on one folder (not recursive), also before it exists: until then its nearest existing parent is watched,
 * and the watch moves to the folder once it appears (a run creates its dataset folder with its first item) or back
 * to a parent when it is deleted (a purge). Chosen over VS Code's file watcher, which in the test workbench missed
 * item and schema writes now and then. A burst of events (a run writing a thousand items a second) is handled once:
 * one check whether the watch must move, one `onChange`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export function watchFolder(folder: string, onChange: () => void): vscode.Disposable {
  let watcher: fs.FSWatcher | undefined;
  let watched: string | undefined;
  let burst: NodeJS.Immediate | undefined;
  const changed = () => {
    burst = undefined;
    if (watched !== folder || !fs.existsSync(folder)) attach();
    onChange();
  };
  const attach = () => {
    let target = folder;
    while (!fs.existsSync(target) && path.dirname(target) !== target) target = path.dirname(target);
    if (target === watched) return;
    watcher?.close();
    watched = target;
    try {
      watcher = fs.watch(target, () => {
        burst ??= setImmediate(changed);
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
    if (burst) clearImmediate(burst);
    watcher?.close();
  });
}
