/**
 * Fires the workspace's schedules (schedules.ts) while a process that holds it runs: the extension, `greenroom
 * serve`. One timer for the earliest next fire, woken at least every `recheckMs` to see schedules files edited
 * meanwhile. A fire starts the run (origin SCHEDULER), or the build of a build schedule, and the schedule's next fire counts from now: fires missed
 * while nothing ran (or while the process was suspended) are not replayed, as the platform's schedules do not
 * catch up either. No `vscode` import: the clock is injected, so tests drive it.
 */
import type { BuildOptions } from '../engine/builds';
import type { RunStartOptions } from '../engine/runs';
import type { ActorWorkspace } from './workspace';
import type { WorkspaceActor } from './actor';
import { FoundSchedule, nextFireAt, workspaceSchedules } from './schedules';
import { claimScheduling } from './schedulerLock';
import { readActorTasks, taskIdOf, taskRunOptions, TaskFileError } from './tasks';

export interface SchedulerClock {
  now(): number;
  setTimer(callback: () => void, millis: number): unknown;
  clearTimer(timer: unknown): void;
}

export const SYSTEM_CLOCK: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, millis) => setTimeout(callback, millis).unref(),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface ScheduleState extends FoundSchedule {
  /** The next fire; null when disabled or never again. */
  nextAt: Date | null;
  lastFiredAt?: Date;
  lastRunId?: string;
  /** The build a build schedule's last fire started. */
  lastBuildId?: string;
  /** Why the last fire started no run (no build). */
  lastError?: string;
}

export interface SchedulerOptions {
  /** The Actors to read schedules of (searched again on each recheck). */
  actors(): readonly WorkspaceActor[];
  /** Starts one run (the engine's run()); resolves with its id once the container runs. */
  startRun(actor: WorkspaceActor, options: RunStartOptions): Promise<{ id: string }>;
  /** Starts one build (the engine's build()), for a build schedule; returns its id. */
  startBuild(actor: WorkspaceActor, options: BuildOptions): { id: string };
  clock?: SchedulerClock;
  /** How often schedules files are read again at the longest (default 30 s). */
  recheckMs?: number;
  /**
   * Whether this process fires now (schedulerLock.ts: one process per workspace); false: due fires are passed over
   * (their next time still advances, so what is shown stays right). Default: always.
   */
  mayFire?(): boolean;
  /** After each reading of the files and each fire: the schedules as they are now, the unreadable files. */
  onChange?(states: readonly ScheduleState[], problems: readonly TaskFileError[]): void;
  /** A fire: the run it started, or why none. */
  onFire?(state: ScheduleState): void;
}

const DEFAULT_RECHECK_MS = 30_000;

export class Scheduler {
  private readonly clock: SchedulerClock;
  private states = new Map<string, ScheduleState & { signature: string }>();
  private problems: TaskFileError[] = [];
  private timer: unknown;
  private running = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The schedules as last read, soonest first (disabled ones last). */
  schedules(): ScheduleState[] {
    return [...this.states.values()].sort((a, b) => (a.nextAt?.getTime() ?? Infinity) - (b.nextAt?.getTime() ?? Infinity));
  }

  /** Reads the schedules files again now (a file changed); a changed schedule's next fire counts from now. */
  reload(): void {
    if (!this.running) return;
    this.tick();
  }

  private tick(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    const now = this.clock.now();
    this.read(now);
    const due = [...this.states.values()].filter((state) => state.nextAt && state.nextAt.getTime() <= now);
    const firing = due.length > 0 && (this.options.mayFire?.() ?? true);
    for (const state of due) {
      if (firing) this.fire(state, now);
      else state.nextAt = nextFireAt(state.schedule, new Date(now));
    }
    this.options.onChange?.(this.schedules(), this.problems);
    if (!this.running) return;
    const soonest = Math.min(...[...this.states.values()].map((state) => state.nextAt?.getTime() ?? Infinity));
    const recheck = this.options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.timer = this.clock.setTimer(() => this.tick(), Math.max(0, Math.min(soonest - now, recheck)));
  }

  private read(now: number): void {
    const { schedules, problems } = workspaceSchedules(this.options.actors());
    this.problems = problems;
    const next = new Map<string, ScheduleState & { signature: string }>();
    for (const found of schedules) {
      const key = `${found.actor.root}\0${found.schedule.name}`;
      const signature = JSON.stringify([found.schedule.cron, found.schedule.timezone, found.schedule.enabled]);
      const known = this.states.get(key);
      const nextAt = known && known.signature === signature ? known.nextAt : found.schedule.enabled ? nextFireAt(found.schedule, new Date(now)) : null;
      // The same object for the same schedule: a fire's run id arrives on it later.
      next.set(key, Object.assign(known ?? found, found, { nextAt, signature }));
    }
    this.states = next;
  }

  private fire(state: ScheduleState, now: number): void {
    state.lastFiredAt = new Date(now);
    // Counted from now, not from the missed time: late or missed fires are not replayed.
    state.nextAt = nextFireAt(state.schedule, new Date(now));
    state.lastError = undefined;
    if (state.schedule.build) {
      try {
        state.lastBuildId = this.options.startBuild(state.actor, { tag: state.schedule.build.tag, origin: 'SCHEDULER', scheduleName: state.schedule.name }).id;
      } catch (error) {
        state.lastError = (error as Error).message;
      }
      this.options.onFire?.(state);
      return;
    }
    let options: RunStartOptions;
    try {
      options = scheduledRunOptions(state);
    } catch (error) {
      state.lastError = (error as Error).message;
      this.options.onFire?.(state);
      return;
    }
    this.options.startRun(state.actor, options).then(
      ({ id }) => {
        state.lastRunId = id;
        this.options.onFire?.(state);
      },
      (error: unknown) => {
        state.lastError = (error as Error).message;
        this.options.onFire?.(state);
      },
    );
  }
}

/** The run a schedule starts: its task's input and options (when it names one) with its own over them, origin SCHEDULER. */
export function scheduledRunOptions({ actor, schedule }: FoundSchedule): RunStartOptions {
  const own: RunStartOptions = { ...schedule.options, input: schedule.input ?? {}, origin: 'SCHEDULER', scheduleName: schedule.name };
  if (!schedule.task) return own;
  const task = readActorTasks(actor.root).find((candidate) => candidate.name === schedule.task);
  if (!task) throw new Error(`the task "${schedule.task}" is no longer in ${actor.name}'s .actor/tasks.json`);
  return { ...taskRunOptions(task, own), task: { id: taskIdOf(actor.name, task.name), name: task.name } };
}

/**
 * A scheduler over a workspace's Actors and engines (what `greenroom serve` runs), firing only while this process
 * holds the workspace's scheduler lock (call `releaseScheduling` when it stops).
 */
export function workspaceScheduler(workspace: ActorWorkspace, workspaceRoot: string, options: Omit<SchedulerOptions, 'actors' | 'startRun' | 'startBuild' | 'mayFire'> = {}): Scheduler {
  return new Scheduler({
    ...options,
    mayFire: () => claimScheduling(workspaceRoot),
    actors: () => workspace.refresh(),
    startRun: async (actor, runOptions) => {
      const handle = await workspace.engineFor(actor.root).run(runOptions);
      // The engine records the run's end; nobody waits for it here.
      handle.finished.catch(() => undefined);
      return { id: handle.id };
    },
    startBuild: (actor, buildOptions) => workspace.engineFor(actor.root).build(buildOptions),
  });
}

/** What a fire did, in one line: the run or build it started, or why none. */
export function describeFire(state: ScheduleState): string {
  const what = state.schedule.build ? 'build' : 'run';
  return state.lastError ? `no ${what} started: ${state.lastError}` : `${what} ${state.schedule.build ? state.lastBuildId : state.lastRunId} started`;
}
