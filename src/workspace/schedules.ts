/**
 * Schedules: cron expressions that run an Actor or one of its tasks, or build it, while the editor or `greenroom serve` runs
 * (the Scheduler, scheduler.ts). Kept per Actor in its committable `.actor/schedules.json`
 * (docs/file-formats.md#schedules). Cron syntax is croner's: five fields (or six with seconds) and the nicknames
 * `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, as the platform's schedules accept. No `vscode` import.
 */
import * as path from 'node:path';
import { Cron } from 'croner';
import type { WorkspaceActor } from './actor';
import { isPlainObject, isValidTaskName, NAME_RULE, readActorTasks, readJsonFile, runOptionProblems, TaskFileError, TaskRunOptions } from './tasks';

export const SCHEDULES_FILE = path.join('.actor', 'schedules.json');

export interface ActorSchedule {
  name: string;
  /** The cron expression. */
  cron: string;
  /** IANA time zone the expression is read in; default UTC (the platform's default). */
  timezone: string;
  /** false: kept but never fired. */
  enabled: boolean;
  description?: string;
  /** Run this task of the Actor (its input and options); absent: the Actor with `input` and `options`. */
  task?: string;
  /** The run's input (merged over the task's when `task` is set); absent: the schema's defaults. */
  input?: Record<string, unknown>;
  options: TaskRunOptions;
  /** Build the Actor instead of running it (Greenroom's own kind; the platform's schedules only run), `tag` pointed at the build. */
  build?: { tag?: string };
}

export interface FoundSchedule {
  actor: WorkspaceActor;
  schedule: ActorSchedule;
}

export function schedulesFile(actorRoot: string): string {
  return path.join(actorRoot, SCHEDULES_FILE);
}

/** The Actor's schedules (none without a file); a TaskFileError for a file that is not valid. */
export function readActorSchedules(actorRoot: string): ActorSchedule[] {
  const file = schedulesFile(actorRoot);
  const content = readJsonFile(file);
  if (content === undefined) return [];
  const problems: string[] = [];
  const schedules: ActorSchedule[] = [];
  let taskNames: Set<string> | undefined;
  const knownTask = (name: string): boolean => {
    try {
      taskNames ??= new Set(readActorTasks(actorRoot).map((task) => task.name));
    } catch (error) {
      if (!(error instanceof TaskFileError)) throw error;
      problems.push(`its tasks cannot be read (${error.message})`);
      taskNames = new Set();
    }
    return taskNames.has(name);
  };
  for (const [name, value] of Object.entries(content)) {
    const schedule = parseSchedule(name, value, problems, knownTask);
    if (schedule) schedules.push(schedule);
  }
  if (problems.length) throw new TaskFileError(file, problems);
  return schedules;
}

/** Every schedule of these Actors; Actors whose schedules file is broken are in `problems`. */
export function workspaceSchedules(actors: readonly WorkspaceActor[]): { schedules: FoundSchedule[]; problems: TaskFileError[] } {
  const schedules: FoundSchedule[] = [];
  const problems: TaskFileError[] = [];
  for (const actor of actors) {
    try {
      for (const schedule of readActorSchedules(actor.root)) schedules.push({ actor, schedule });
    } catch (error) {
      if (!(error instanceof TaskFileError)) throw error;
      problems.push(error);
    }
  }
  return { schedules, problems };
}

/** What a fire of the schedule does, for the views: `build (tag nightly)`, `task daily-news` or `the Actor`. */
export function scheduleTarget(schedule: Pick<ActorSchedule, 'task' | 'build'>): string {
  if (schedule.build) return `build${schedule.build.tag ? ` (tag ${schedule.build.tag})` : ''}`;
  return schedule.task ? `task ${schedule.task}` : 'the Actor';
}

/** When the schedule fires next after `after` (never at `after` itself); null when it never fires again. */
export function nextFireAt(schedule: Pick<ActorSchedule, 'cron' | 'timezone'>, after: Date): Date | null {
  return new Cron(schedule.cron, { paused: true, timezone: schedule.timezone }).nextRun(after);
}

function parseSchedule(name: string, value: unknown, problems: string[], knownTask: (name: string) => boolean): ActorSchedule | undefined {
  const before = problems.length;
  const owner = `schedule "${name}"`;
  if (!isValidTaskName(name)) problems.push(`schedule name "${name}" is not valid (${NAME_RULE})`);
  if (!isPlainObject(value)) {
    problems.push(`${owner} must be an object with at least "cron"`);
    return undefined;
  }
  const { cron, timezone = 'UTC', enabled = true, description, task, input, options, build, ...others } = value;
  for (const key of Object.keys(others)) problems.push(`${owner} has an unknown key "${key}" (known: cron, timezone, enabled, description, task, input, options, build)`);
  if (typeof cron !== 'string' || !cron.trim()) problems.push(`${owner}: "cron" must be a cron expression such as "0 8 * * *"`);
  if (typeof timezone !== 'string') problems.push(`${owner}: "timezone" must be an IANA time zone such as "Europe/Prague"`);
  else if (typeof cron === 'string' && cron.trim()) {
    try {
      nextFireAt({ cron, timezone }, new Date());
    } catch (error) {
      problems.push(`${owner}: ${(error as Error).message}`);
    }
  }
  if (typeof enabled !== 'boolean') problems.push(`${owner}: "enabled" must be true or false`);
  if (description !== undefined && typeof description !== 'string') problems.push(`${owner}: "description" must be a string`);
  if (task !== undefined && (typeof task !== 'string' || !knownTask(task))) problems.push(`${owner}: "task" ${JSON.stringify(task)} is not a task of this Actor (.actor/tasks.json)`);
  if (input !== undefined && !isPlainObject(input)) problems.push(`${owner}: "input" must be a JSON object`);
  problems.push(...runOptionProblems(options ?? {}, owner));
  const buildProblem = build === undefined ? undefined : scheduledBuildProblem(build, { task, input, options });
  if (buildProblem) problems.push(`${owner}: ${buildProblem}`);
  if (problems.length > before) return undefined;
  return {
    name,
    cron: cron as string,
    timezone: timezone as string,
    enabled: enabled as boolean,
    description: description as string | undefined,
    task: task as string | undefined,
    input: input as Record<string, unknown> | undefined,
    options: (options ?? {}) as TaskRunOptions,
    ...(build !== undefined && { build: build === true ? {} : (build as { tag?: string }) }),
  };
}

/** `build`: true (the default tag) or `{"tag": "…"}`, and nothing about a run beside it. */
function scheduledBuildProblem(build: unknown, runKeys: Record<string, unknown>): string | undefined {
  const given = Object.keys(runKeys).filter((key) => runKeys[key] !== undefined);
  if (given.length) return `"build" builds the Actor, so ${given.map((key) => `"${key}"`).join(' and ')} (of a run) cannot be given with it`;
  if (build === true) return undefined;
  if (!isPlainObject(build)) return '"build" must be true or an object such as {"tag": "nightly"}';
  const { tag, ...others } = build;
  if (Object.keys(others).length) return `"build" has an unknown key "${Object.keys(others)[0]}" (known: tag)`;
  if (tag !== undefined && (typeof tag !== 'string' || !tag.trim())) return '"build.tag" must be a build tag such as "nightly"';
  return undefined;
}
