/**
 * Tasks: named saved inputs plus run options of one Actor, as the platform's Actor tasks, kept in the Actor's
 * committable `.actor/tasks.json` (docs/file-formats.md#tasks). A task is run from the tree, `greenroom run --task`,
 * the API (`POST /v2/actor-tasks/:taskId/runs`, what `Actor.callTask` sends) and schedules; its run records the
 * task (`actorTaskId`, `greenroom.taskName`). No `vscode` import.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { platformIdOf } from '../engine/platformLink';
import type { RunStartOptions } from '../engine/runs';
import type { WorkspaceActor } from './actor';
import { ActorNameError, parseActorName } from './actorName';

export const TASKS_FILE = path.join('.actor', 'tasks.json');

/** A task's run options, in the platform's names (a task's `options`). */
export interface TaskRunOptions {
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
  maxItems?: number;
  maxTotalChargeUsd?: number;
  restartOnError?: boolean;
}

export interface ActorTask {
  name: string;
  title?: string;
  description?: string;
  /** The saved input; the Actor's input schema completes it with its defaults at run time. */
  input: Record<string, unknown>;
  options: TaskRunOptions;
}

/** A tasks (or schedules) file that cannot be used, naming the file and every problem. */
export class TaskFileError extends Error {
  name = 'TaskFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

/** The platform's rule for task (and schedule) names: letters, digits and inner dashes, at most 63 characters. */
const NAME_PATTERN = /^[a-zA-Z0-9](?:-?[a-zA-Z0-9])*$/;
export const NAME_RULE = 'letters, digits and single inner dashes, at most 63 characters';

export function isValidTaskName(name: string): boolean {
  return name.length <= 63 && NAME_PATTERN.test(name);
}

/** What an option's value must be, and how a problem says so. */
interface OptionRule {
  test(value: unknown): boolean;
  what: string;
}

const NON_EMPTY_STRING: OptionRule = { test: (value) => typeof value === 'string' && value !== '', what: 'a non-empty string' };
const WHOLE_NUMBER: OptionRule = { test: (value) => typeof value === 'number' && value >= 0 && Number.isInteger(value), what: 'a whole number ≥ 0' };
const NUMBER: OptionRule = { test: (value) => typeof value === 'number' && value >= 0, what: 'a number ≥ 0' };
const BOOLEAN: OptionRule = { test: (value) => typeof value === 'boolean', what: 'true or false' };

const OPTION_RULES: Record<keyof TaskRunOptions, OptionRule> = {
  build: NON_EMPTY_STRING,
  memoryMbytes: WHOLE_NUMBER,
  timeoutSecs: NUMBER,
  maxItems: WHOLE_NUMBER,
  maxTotalChargeUsd: NUMBER,
  restartOnError: BOOLEAN,
};

export function tasksFile(actorRoot: string): string {
  return path.join(actorRoot, TASKS_FILE);
}

/** The Actor's tasks by name (none without a file); a TaskFileError for a file that is not valid. */
export function readActorTasks(actorRoot: string): ActorTask[] {
  const file = tasksFile(actorRoot);
  const content = readJsonFile(file);
  if (content === undefined) return [];
  const problems: string[] = [];
  const tasks: ActorTask[] = [];
  for (const [name, value] of Object.entries(content)) {
    const task = parseTask(name, value, problems);
    if (task) tasks.push(task);
  }
  if (problems.length) throw new TaskFileError(file, problems);
  return tasks;
}

/**
 * Saves `task` under its name in the Actor's tasks file (made when absent), keeping every other task and key as
 * written. Refuses (TaskFileError) a file that is not valid JSON, so nothing in it is lost.
 */
export function saveActorTask(actorRoot: string, task: ActorTask): void {
  const problems: string[] = [];
  const options = stripUndefined(task.options);
  const { name, ...body } = task;
  parseTask(name, { ...body, options }, problems);
  const file = tasksFile(actorRoot);
  if (problems.length) throw new TaskFileError(file, problems);
  const content = readJsonFile(file) ?? {};
  content[name] = { ...(task.title && { title: task.title }), ...(task.description && { description: task.description }), input: task.input, ...(Object.keys(options).length && { options }) };
  mkdirSync(path.dirname(file), { recursive: true });
  writeJsonFile(file, content);
}

/**
 * Replaces the input of the Actor's task `name`, changing only that value's text in the file: the rest of the
 * committed file stays as written. A TaskFileError for a file that cannot be used or a task it does not have.
 */
export function setTaskInput(actorRoot: string, name: string, input: unknown): void {
  const file = tasksFile(actorRoot);
  if (!readActorTasks(actorRoot).some((task) => task.name === name)) throw new TaskFileError(file, [`there is no task "${name}"`]);
  if (!isPlainObject(input)) throw new TaskFileError(file, [`task "${name}": "input" must be a JSON object`]);
  const text = readFileSync(file, 'utf8');
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  writeTextFile(file, applyEdits(text, modify(text, [name, 'input'], input, { formattingOptions })));
}

/** The run options a task's run is started with: the task's, then what the caller passes over them; input merged shallowly (the platform's rule). */
export function taskRunOptions(task: ActorTask, overrides: RunStartOptions = {}): RunStartOptions {
  const override = overrides.input as Record<string, unknown> | undefined;
  return {
    ...stripUndefined(task.options),
    ...stripUndefined(overrides as Record<string, unknown>),
    input: { ...task.input, ...(isPlainObject(override) ? override : {}) },
  };
}

/** A task's id: stable, derived from its Actor's and its own name (as actorIdOf). */
export function taskIdOf(actorName: string, taskName: string): string {
  return platformIdOf(`greenroom-task:${actorName}/${taskName}`);
}

export interface FoundTask {
  actor: WorkspaceActor;
  task: ActorTask;
  id: string;
}

/** Every task of these Actors; Actors whose tasks file is broken are in `problems`. */
export function workspaceTasks(actors: readonly WorkspaceActor[]): { tasks: FoundTask[]; problems: TaskFileError[] } {
  const tasks: FoundTask[] = [];
  const problems: TaskFileError[] = [];
  for (const actor of actors) {
    try {
      for (const task of readActorTasks(actor.root)) tasks.push({ actor, task, id: taskIdOf(actor.name, task.name) });
    } catch (error) {
      if (!(error instanceof TaskFileError)) throw error;
      problems.push(error);
    }
  }
  return { tasks, problems };
}

/**
 * The task `reference` names: its id, `name`, `username/name` or `username~name` (any username; one that is the
 * name of the task's Actor picks that Actor's task when several Actors have a task of that name). Undefined for
 * none; an ActorNameError for a malformed reference or one several tasks answer to.
 */
export function findTask(actors: readonly WorkspaceActor[], reference: string): FoundTask | undefined {
  const { tasks } = workspaceTasks(actors);
  const byId = tasks.find((found) => found.id === reference);
  if (byId) return byId;
  const { username, name } = parseActorName(reference);
  let matches = tasks.filter((found) => found.task.name === name);
  if (matches.length > 1 && username) {
    const ofActor = matches.filter((found) => found.actor.name === username);
    if (ofActor.length) matches = ofActor;
  }
  if (matches.length > 1) {
    throw new ActorNameError(`Several Actors of the workspace have a task named "${name}": ${matches.map((found) => found.actor.name).join(', ')} (name it as <actor name>~${name})`);
  }
  return matches[0];
}

function parseTask(name: string, value: unknown, problems: string[]): ActorTask | undefined {
  const before = problems.length;
  if (!isValidTaskName(name)) problems.push(`task name "${name}" is not valid (${NAME_RULE})`);
  if (!isPlainObject(value)) {
    problems.push(`task "${name}" must be an object with "input" and "options"`);
    return undefined;
  }
  const { title, description, input = {}, options = {}, ...others } = value;
  for (const key of Object.keys(others)) problems.push(`task "${name}" has an unknown key "${key}" (known: title, description, input, options)`);
  for (const [key, text] of Object.entries({ title, description })) {
    if (text !== undefined && typeof text !== 'string') problems.push(`task "${name}": "${key}" must be a string`);
  }
  if (!isPlainObject(input)) problems.push(`task "${name}": "input" must be a JSON object`);
  problems.push(...runOptionProblems(options, `task "${name}"`));
  if (problems.length > before) return undefined;
  return { name, title: title as string | undefined, description: description as string | undefined, input: input as Record<string, unknown>, options: options as TaskRunOptions };
}

/** What is wrong with a task's or schedule's `options` (the platform's option names and types). */
export function runOptionProblems(options: unknown, owner: string): string[] {
  if (!isPlainObject(options)) return [`${owner}: "options" must be an object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const rule = OPTION_RULES[key as keyof TaskRunOptions];
    if (!rule) problems.push(`${owner}: unknown option "${key}" (known: ${Object.keys(OPTION_RULES).join(', ')})`);
    else if (!rule.test(value)) problems.push(`${owner}: option "${key}" must be ${rule.what}, got ${JSON.stringify(value)}`);
  }
  return problems;
}

/** A JSON object file's content; undefined when there is no file; a TaskFileError when it is not a JSON object. */
export function readJsonFile(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskFileError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  if (!isPlainObject(content)) throw new TaskFileError(file, ['must be a JSON object keyed by name']);
  return content;
}

/** Written next to the file and renamed into place, so a reader never sees half a file. */
export function writeJsonFile(file: string, content: unknown): void {
  writeTextFile(file, `${JSON.stringify(content, null, 2)}\n`);
}

function writeTextFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function stripUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
