/**
 * A task's input as a document of its own, so the input form (a custom text editor) edits it as it edits INPUT.json:
 * `greenroom-task-input:<actor>/.actor/tasks/<task>.json` (its tab reads `<task>.json`) reads the task's `input` from
 * `.actor/tasks.json` and writes it back there, changing only that value's text (setTaskInput). The file's watcher
 * tells VS Code when the task changes on disk, so an open form follows it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readActorTasks, setTaskInput, tasksFile } from '../../workspace/tasks';
import { errorMessage } from '../actors/actorRegistry';

export const TASK_INPUT_SCHEME = 'greenroom-task-input';
const TASK_INPUT_PATH = /^(.*)[\\/]\.actor[\\/]tasks[\\/]([^\\/]+)\.json$/;

export interface TaskInputLocation {
  actorRoot: string;
  taskName: string;
}

export function taskInputUri({ actorRoot, taskName }: TaskInputLocation): vscode.Uri {
  return vscode.Uri.file(path.join(actorRoot, '.actor', 'tasks', `${taskName}.json`)).with({ scheme: TASK_INPUT_SCHEME });
}

/** The task a task-input document is of; undefined for any other document. */
export function taskInputLocation(uri: vscode.Uri): TaskInputLocation | undefined {
  const match = uri.scheme === TASK_INPUT_SCHEME ? TASK_INPUT_PATH.exec(uri.fsPath) : null;
  return match ? { actorRoot: match[1], taskName: match[2] } : undefined;
}

export class TaskInputFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  static register(): vscode.Disposable {
    const provider = new TaskInputFileSystem();
    return vscode.Disposable.from(provider.changes, vscode.workspace.registerFileSystemProvider(TASK_INPUT_SCHEME, provider, { isCaseSensitive: true }));
  }

  watch(uri: vscode.Uri): vscode.Disposable {
    const { actorRoot } = located(uri);
    const file = tasksFile(actorRoot);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const changed = (type: vscode.FileChangeType) => () => this.changes.fire([{ type, uri }]);
    return vscode.Disposable.from(watcher, watcher.onDidChange(changed(vscode.FileChangeType.Changed)), watcher.onDidCreate(changed(vscode.FileChangeType.Changed)), watcher.onDidDelete(changed(vscode.FileChangeType.Deleted)));
  }

  /**
   * The tasks file's times. A file that does not parse still has the document (its size unknown): VS Code then
   * writes to it as to an existing file, and the write says what is wrong with the file.
   */
  stat(uri: vscode.Uri): vscode.FileStat {
    const file = tasksFile(located(uri).actorRoot);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(file);
    } catch {
      throw vscode.FileSystemError.FileNotFound(`${file} does not exist`);
    }
    let size = 0;
    try {
      size = Buffer.byteLength(this.text(uri));
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') throw error;
    }
    return { type: vscode.FileType.File, ctime: stats.ctimeMs, mtime: stats.mtimeMs, size };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return Buffer.from(this.text(uri));
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const { actorRoot, taskName } = located(uri);
    let input: unknown;
    try {
      input = JSON.parse(Buffer.from(content).toString('utf8'));
    } catch (error) {
      throw vscode.FileSystemError.NoPermissions(`the task's input is not valid JSON (${errorMessage(error)}); nothing was written to ${tasksFile(actorRoot)}`);
    }
    try {
      setTaskInput(actorRoot, taskName, input);
    } catch (error) {
      throw vscode.FileSystemError.NoPermissions(errorMessage(error));
    }
  }

  readDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('a task input is one document; its task lives in .actor/tasks.json');
  }

  /** VS Code makes a document's folder before it writes a new one; a task input's folder is only a name. */
  createDirectory(): void {}

  delete(): never {
    throw vscode.FileSystemError.NoPermissions('delete the task in .actor/tasks.json');
  }

  rename(): never {
    throw vscode.FileSystemError.NoPermissions('rename the task in .actor/tasks.json');
  }

  /** The task's input as the document shows it. */
  private text(uri: vscode.Uri): string {
    const { actorRoot, taskName } = located(uri);
    let task;
    try {
      task = readActorTasks(actorRoot).find((candidate) => candidate.name === taskName);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(errorMessage(error));
    }
    if (!task) throw vscode.FileSystemError.FileNotFound(`${tasksFile(actorRoot)} has no task "${taskName}"`);
    return `${JSON.stringify(task.input, null, 2)}\n`;
  }
}

function located(uri: vscode.Uri): TaskInputLocation {
  const location = taskInputLocation(uri);
  if (!location) throw vscode.FileSystemError.FileNotFound(uri);
  return location;
}
