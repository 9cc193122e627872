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
 *     runs/<runId>.log.times  when each stretch of the log was written (logTimes.ts)
 *     runs/<runId>.charges.jsonl  the run's pay-per-event charges (chargeLedger.ts)
 *     runs/<runId>.webhooks.jsonl, runs/<runId>.dispatches.jsonl, builds/<buildId>.dispatches.jsonl
 *                             ad-hoc webhooks and dispatches (src/platform/webhooks/webhooks.ts)
 *     pricing.json            pay-per-event pricing set through the API (pricing.ts)
 *     tags.json               build tags: { "latest": "<buildId>", ... }
 *     storage/                per-run default storages in the Crawlee layout, e.g.
 *                             storage/datasets/<run.defaultDatasetId>/000000001.json
 *
 * Every write goes to a temporary file renamed over the target, so a reader never sees half a record.
 * A record that cannot be parsed or lacks what Greenroom relies on is skipped with one warning naming the
 * file (again only once the file changes) rather than failing a listing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logTimesFile } from './logTimes';
import { BuildRecord, RunRecord, TERMINAL_STATUSES } from './types';

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
  /** When each stretch of the run's log was written (logTimes.ts). */
  runLogTimes(id: string): string {
    return logTimesFile(this.runLog(id));
  }
  /** The run's memory/CPU samples over time (statsSamples.ts). */
  runSamples(id: string): string {
    return join(this.runsDir, `${id}.stats.jsonl`);
  }
  /** The run's pay-per-event charges, one JSON line each (chargeLedger.ts); not `.json`, which names records. */
  runCharges(id: string): string {
    return join(this.runsDir, `${id}.charges.jsonl`);
  }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 17-character id like the platform's (`HG7ML7M8z78YcAPEB`). */
export function newId(): string {
  return Array.from(randomBytes(17), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

const recordText = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = temporaryName(file);
  writeFileSync(tmp, recordText(value));
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

type Problem = (value: Record<string, unknown>) => string | undefined;

export class RecordStore {
  /** Files warned about, with the version (mtime and size) warned about. */
  private readonly warned = new Map<string, string>();
  /** Saves started per record file: a save that a later one overtook is dropped instead of renamed over it. */
  private readonly saves = new Map<string, number>();

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
    const file = this.layout.runFile(run.id);
    this.saves.set(file, (this.saves.get(file) ?? 0) + 1);
    writeJsonAtomic(file, run);
  }
  /**
   * saveRun off the event loop, for the frequent saves of a running run: `run` is serialised at once and written in a
   * temporary name; then, on the event loop, renamed over the record only if `wanted` (asked right before) still
   * wants it and no save started since (a later one holds newer content, and a final record saved meanwhile must not
   * be undone). Resolves true once renamed, false when dropped.
   */
  async saveRunAsync(run: RunRecord, wanted: () => Promise<boolean> = async () => true): Promise<boolean> {
    const file = this.layout.runFile(run.id);
    const save = (this.saves.get(file) ?? 0) + 1;
    this.saves.set(file, save);
    const tmp = temporaryName(file);
    try {
      await writeFile(tmp, recordText(run));
      if ((await wanted()) && this.saves.get(file) === save) {
        renameSync(tmp, file);
        return true;
      }
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    await rm(tmp, { force: true });
    return false;
  }
  getBuild(id: string): BuildRecord | undefined {
    return this.readRecord<BuildRecord>(this.layout.buildFile(id), buildProblem);
  }
  getRun(id: string): RunRecord | undefined {
    return this.readRecord<RunRecord>(this.layout.runFile(id), runProblem);
  }
  /** getBuild and getRun reading off the event loop. */
  async getBuildAsync(id: string): Promise<BuildRecord | undefined> {
    const file = this.layout.buildFile(id);
    return this.parseRecord<BuildRecord>(file, await readFile(file, 'utf8').catch(() => undefined), buildProblem);
  }
  async getRunAsync(id: string): Promise<RunRecord | undefined> {
    const file = this.layout.runFile(id);
    return this.parseRecord<RunRecord>(file, await readFile(file, 'utf8').catch(() => undefined), runProblem);
  }

  /** Newest first. */
  listBuilds(): BuildRecord[] {
    return this.listRecords<BuildRecord>(this.layout.buildsDir, buildProblem);
  }
  /** Newest first. */
  listRuns(): RunRecord[] {
    return this.listRecords<RunRecord>(this.layout.runsDir, runProblem);
  }

  deleteBuild(id: string): void {
    rmSync(this.layout.buildFile(id), { force: true });
    rmSync(this.layout.buildLog(id), { force: true });
    rmSync(join(this.layout.buildsDir, `${id}.dispatches.jsonl`), { force: true });
  }
  deleteRun(id: string): void {
    rmSync(this.layout.runFile(id), { force: true });
    rmSync(this.layout.runLog(id), { force: true });
    rmSync(this.layout.runLogTimes(id), { force: true });
    rmSync(this.layout.runSamples(id), { force: true });
    rmSync(this.layout.runCharges(id), { force: true });
    // The run's ad-hoc webhooks and their dispatches (src/platform/webhooks).
    rmSync(join(this.layout.runsDir, `${id}.webhooks.jsonl`), { force: true });
    rmSync(join(this.layout.runsDir, `${id}.dispatches.jsonl`), { force: true });
  }

  readTags(): Record<string, string> {
    return readJsonFile<Record<string, string>>(this.layout.tagsFile) ?? {};
  }
  writeTags(tags: Record<string, string>): void {
    writeJsonAtomic(this.layout.tagsFile, tags);
  }

  private readRecord<T>(file: string, problem: Problem): T | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    return this.parseRecord(file, text, problem);
  }

  /** The record in `text` (undefined: the file could not be read), or undefined with a warning when it is unusable. */
  private parseRecord<T>(file: string, text: string | undefined, problem: Problem): T | undefined {
    if (text === undefined) return undefined;
    let reason: string | undefined;
    try {
      const value: unknown = JSON.parse(text);
      reason = isObject(value) ? problem(value) : 'not a JSON object';
      if (!reason) {
        this.warned.delete(file);
        return value as T;
      }
    } catch (error) {
      reason = text.trim() ? `not valid JSON (${(error as Error).message})` : 'empty';
    }
    this.warnOnce(file, `Skipping corrupt record ${file}: ${reason}`);
    return undefined;
  }

  private warnOnce(file: string, message: string): void {
    let version = '';
    try {
      const stat = statSync(file);
      version = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      // gone meanwhile: warn anyway
    }
    if (this.warned.get(file) === version) return;
    this.warned.set(file, version);
    this.warn(message);
  }

  private listRecords<T extends { id: string; startedAt: string }>(dir: string, problem: Problem): T[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.readRecord<T>(join(dir, n), problem))
      .filter((r): r is T => r !== undefined)
      .sort((a, b) => descending(a.startedAt, b.startedAt) || descending(a.id, b.id));
  }
}

const RUN_STATUSES = new Set(['READY', 'RUNNING', 'TIMING-OUT', 'ABORTING', ...TERMINAL_STATUSES]);
const BUILD_STATUSES = new Set(['READY', 'RUNNING', ...TERMINAL_STATUSES]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first field that is missing or of the wrong type, described; undefined when the record is usable. */
function fieldProblem(value: Record<string, unknown>, fields: Record<string, 'string' | 'object'>): string | undefined {
  for (const [field, type] of Object.entries(fields)) {
    const [outer, inner] = field.split('.');
    const holder = inner === undefined ? value : value[outer];
    const actual = isObject(holder) ? holder[inner ?? outer] : undefined;
    if (type === 'object' ? !isObject(actual) : typeof actual !== type) return `"${field}" ${actual === undefined ? 'is missing' : `is not a${type === 'object' ? 'n' : ''} ${type}`}`;
  }
  return undefined;
}

/** What the engine, the views and the CLI read from a run record without checking. */
export function runProblem(value: Record<string, unknown>): string | undefined {
  return (
    fieldProblem(value, {
      id: 'string',
      startedAt: 'string',
      buildId: 'string',
      buildNumber: 'string',
      defaultDatasetId: 'string',
      defaultKeyValueStoreId: 'string',
      defaultRequestQueueId: 'string',
      options: 'object',
      stats: 'object',
      greenroom: 'object',
      'greenroom.storageDir': 'string',
    }) ?? (RUN_STATUSES.has(value.status as string) ? undefined : `"status" is not a run status (${JSON.stringify(value.status)})`)
  );
}

export function buildProblem(value: Record<string, unknown>): string | undefined {
  return (
    fieldProblem(value, { id: 'string', startedAt: 'string', buildNumber: 'string', imageName: 'string', stats: 'object', greenroom: 'object' }) ??
    (BUILD_STATUSES.has(value.status as string) ? undefined : `"status" is not a build status (${JSON.stringify(value.status)})`)
  );
}

/**
 * Plain code-unit order, which is chronological for ISO timestamps. Not localeCompare: its first call sets up ICU
 * collation (~5 ms), paid by every `greenroom run` in retention.
 */
function descending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
