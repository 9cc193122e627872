/**
 * Where Greenroom keeps everything for one Actor — shared by the extension and the CLI, outside source
 * control:
 *
 *   <actorRoot>/.greenroom/
 *     .gitignore              `*`: the folder never shows in `git status`, whatever the Actor's own .gitignore says
 *     builds/<buildId>.json   build record (platform field names, docs/actor-model.md#builds)
 *     builds/<buildId>.log    build log
 *     runs/<runId>.json       run record
 *     runs/<runId>.log        run log, all containers of the run (resurrections append)
 *     tags.json               build tags: { "latest": "<buildId>", ... }
 *     storage/                per-run default storages in the Crawlee layout, e.g.
 *                             storage/datasets/<run.defaultDatasetId>/000000001.json
 *
 * Every write goes to a temporary file renamed over the target, so a reader never sees half a record.
 * A record that cannot be parsed is skipped with a warning rather than failing a listing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord, RunRecord } from './types';

export const GREENROOM_DIR = '.greenroom';

export class ActorLayout {
  readonly dir: string;
  constructor(readonly actorRoot: string) {
    this.dir = join(actorRoot, GREENROOM_DIR);
  }
  get buildsDir(): string {
    return join(this.dir, 'builds');
  }
  get runsDir(): string {
    return join(this.dir, 'runs');
  }
  /** Keeps the whole folder out of Git (`*`), wherever the Actor's own .gitignore stops short. */
  get gitignoreFile(): string {
    return join(this.dir, '.gitignore');
  }
  get tagsFile(): string {
    return join(this.dir, 'tags.json');
  }
  /** Storage root of runs with their own storages. */
  get runStorageDir(): string {
    return join(this.dir, 'storage');
  }
  /** The Actor's own storage folder, the one `apify run` uses. */
  get sharedStorageDir(): string {
    return join(this.actorRoot, 'storage');
  }
  buildFile(id: string): string {
    return join(this.buildsDir, `${id}.json`);
  }
  buildLog(id: string): string {
    return join(this.buildsDir, `${id}.log`);
  }
  runFile(id: string): string {
    return join(this.runsDir, `${id}.json`);
  }
  runLog(id: string): string {
    return join(this.runsDir, `${id}.log`);
  }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 17-character id like the platform's (`HG7ML7M8z78YcAPEB`). */
export function newId(): string {
  return Array.from(randomBytes(17), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

type Warn = (message: string) => void;

export class RecordStore {
  constructor(
    readonly layout: ActorLayout,
    private readonly warn: Warn,
  ) {
    mkdirSync(layout.buildsDir, { recursive: true });
    mkdirSync(layout.runsDir, { recursive: true });
    if (!existsSync(layout.gitignoreFile)) writeFileSync(layout.gitignoreFile, '*\n');
  }

  saveBuild(build: BuildRecord): void {
    writeJsonAtomic(this.layout.buildFile(build.id), build);
  }
  saveRun(run: RunRecord): void {
    writeJsonAtomic(this.layout.runFile(run.id), run);
  }
  getBuild(id: string): BuildRecord | undefined {
    return this.readRecord<BuildRecord>(this.layout.buildFile(id));
  }
  getRun(id: string): RunRecord | undefined {
    return this.readRecord<RunRecord>(this.layout.runFile(id));
  }

  /** Newest first. */
  listBuilds(): BuildRecord[] {
    return this.listRecords<BuildRecord>(this.layout.buildsDir);
  }
  /** Newest first. */
  listRuns(): RunRecord[] {
    return this.listRecords<RunRecord>(this.layout.runsDir);
  }

  deleteBuild(id: string): void {
    rmSync(this.layout.buildFile(id), { force: true });
    rmSync(this.layout.buildLog(id), { force: true });
  }
  deleteRun(id: string): void {
    rmSync(this.layout.runFile(id), { force: true });
    rmSync(this.layout.runLog(id), { force: true });
  }

  readTags(): Record<string, string> {
    return readJsonFile<Record<string, string>>(this.layout.tagsFile) ?? {};
  }
  writeTags(tags: Record<string, string>): void {
    writeJsonAtomic(this.layout.tagsFile, tags);
  }

  private readRecord<T extends { id: string }>(file: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const value = JSON.parse(text) as T;
      if (!value || typeof value.id !== 'string') throw new Error('no "id"');
      return value;
    } catch (error) {
      this.warn(`Skipping corrupt record ${file}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private listRecords<T extends { id: string; startedAt: string }>(dir: string): T[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.readRecord<T>(join(dir, n)))
      .filter((r): r is T => r !== undefined)
      .sort((a, b) => descending(a.startedAt, b.startedAt) || descending(a.id, b.id));
  }
}

/**
 * Plain code-unit order, which is chronological for ISO timestamps. Not localeCompare: its first call sets up ICU
 * collation (~5 ms), paid by every `greenroom run` in retention.
 */
function descending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
