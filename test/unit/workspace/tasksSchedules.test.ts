/** Tasks (`.actor/tasks.json`), schedules (`.actor/schedules.json`) and the scheduler, driven by a fake clock. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuildOptions } from '../../../src/engine/builds';
import type { RunStartOptions } from '../../../src/engine/runs';
import { describeFire } from '../../../src/workspace/scheduler';
import { scheduleTarget } from '../../../src/workspace/schedules';
import {
  ActorNameError,
  describeActor,
  findTask,
  nextFireAt,
  readActorSchedules,
  readActorTasks,
  saveActorTask,
  setTaskInput,
  Scheduler,
  SchedulerClock,
  scheduledRunOptions,
  TaskFileError,
  claimScheduling,
  releaseScheduling,
  schedulingProcess,
  taskIdOf,
  taskRunOptions,
  WorkspaceActor,
} from '../../../src/workspace';

function actorWith(name: string, files: Record<string, unknown> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-tasks-')));
  const all = { '.actor/actor.json': { actorSpecification: 1, name, version: '0.1' }, ...files };
  for (const [relative, content] of Object.entries(all)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

/** A clock whose time moves only when the test says, firing due timers in order. */
class FakeClock implements SchedulerClock {
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  constructor(public time: number) {}
  now = () => this.time;
  setTimer = (callback: () => void, millis: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + millis, callback, id });
    return id;
  };
  clearTimer = (id: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  };
  /** Moves to `time`, firing every timer due on the way at its own time. */
  advanceTo(time: number): void {
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= time).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = time;
  }
  /** Jumps to `time` (the process was suspended): the timers due meanwhile fire late, at `time`. */
  jumpTo(time: number): void {
    this.time = time;
    for (const timer of this.timers.filter((candidate) => candidate.at <= time)) timer.at = time;
    this.advanceTo(time);
  }
}

describe('workspace: tasks and schedules', () => {
  const made: string[] = [];
  const make = (name: string, files?: Record<string, unknown>) => {
    const root = actorWith(name, files);
    made.push(root);
    return root;
  };
  after(() => made.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  describe('tasks', () => {
    it('reads tasks by name with their input and options; no file is no tasks', () => {
      const root = make('a', { '.actor/tasks.json': { daily: { title: 'Daily', input: { q: 1 }, options: { memoryMbytes: 512, build: 'beta', restartOnError: true } }, bare: {} } });
      assert.deepEqual(readActorTasks(root), [
        { name: 'daily', title: 'Daily', description: undefined, input: { q: 1 }, options: { memoryMbytes: 512, build: 'beta', restartOnError: true } },
        { name: 'bare', title: undefined, description: undefined, input: {}, options: {} },
      ]);
      assert.deepEqual(readActorTasks(make('b')), []);
    });

    it('names every problem of a bad tasks file, and a file that is not JSON', () => {
      const root = make('a', { '.actor/tasks.json': { 'bad name': {}, ok: { input: [], options: { memory: 1, timeoutSecs: -1, restartOnError: 'yes' }, extra: 1 } } });
      assert.throws(() => readActorTasks(root), (error: TaskFileError) => {
        assert.ok(error instanceof TaskFileError);
        const text = error.problems.join('\n');
        for (const expected of ['task name "bad name" is not valid', 'unknown key "extra"', '"input" must be a JSON object', 'unknown option "memory"', 'option "timeoutSecs" must be a number ≥ 0, got -1', 'option "restartOnError" must be true or false, got "yes"']) {
          assert.ok(text.includes(expected), `${expected} in ${text}`);
        }
        return true;
      });
      assert.throws(() => readActorTasks(make('c', { '.actor/tasks.json': '{ nope' })), /tasks\.json: not valid JSON/);
    });

    it('saves a task next to the others, keeping them; refuses to overwrite a broken file', () => {
      const root = make('a', { '.actor/tasks.json': { first: { input: { a: 1 } } } });
      saveActorTask(root, { name: 'second', input: { b: 2 }, options: { timeoutSecs: 60, build: undefined } });
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.actor/tasks.json'), 'utf8')), { first: { input: { a: 1 } }, second: { input: { b: 2 }, options: { timeoutSecs: 60 } } });
      const broken = make('b', { '.actor/tasks.json': '{ nope' });
      assert.throws(() => saveActorTask(broken, { name: 'x', input: {}, options: {} }), TaskFileError);
      assert.equal(fs.readFileSync(path.join(broken, '.actor/tasks.json'), 'utf8'), '{ nope');
      assert.throws(() => saveActorTask(root, { name: 'not ok', input: {}, options: {} }), /not valid/);
    });

    it("replaces one task's input, leaving the rest of the file's text as written; refuses a missing task or a non-object", () => {
      const written = '{\n    "first": { "title": "One", "input": { "a": 1 } },\n    "second": {"input": {}}\n}\n';
      const root = make('a', { '.actor/tasks.json': written });
      const file = path.join(root, '.actor/tasks.json');
      setTaskInput(root, 'second', { names: ['Ada'] });
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(text.slice(0, text.indexOf('"second"')), written.slice(0, written.indexOf('"second"')));
      assert.deepEqual(JSON.parse(text).second, { input: { names: ['Ada'] } });
      assert.throws(() => setTaskInput(root, 'third', {}), /there is no task "third"/);
      assert.throws(() => setTaskInput(root, 'first', [1]), /"input" must be a JSON object/);
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    });

    it("merges a run's input over the task's and its options over the task's", () => {
      const task = { name: 't', input: { a: 1, b: 2 }, options: { memoryMbytes: 512, timeoutSecs: 10 } };
      assert.deepEqual(taskRunOptions(task, { input: { b: 3 }, timeoutSecs: 20, build: undefined }), { memoryMbytes: 512, timeoutSecs: 20, input: { a: 1, b: 3 } });
    });

    it('finds a task by id, name, username/name, username~name; an Actor name as username picks among namesakes', () => {
      const one = describeActor(make('one', { '.actor/tasks.json': { shared: {}, solo: {} } }));
      const two = describeActor(make('two', { '.actor/tasks.json': { shared: {} } }));
      const actors: WorkspaceActor[] = [one, two];
      assert.equal(findTask(actors, 'solo')?.actor.name, 'one');
      assert.equal(findTask(actors, 'anyone/solo')?.task.name, 'solo');
      assert.equal(findTask(actors, taskIdOf('two', 'shared'))?.actor.name, 'two');
      assert.equal(findTask(actors, 'two~shared')?.actor.name, 'two');
      assert.throws(() => findTask(actors, 'shared'), (error: Error) => error instanceof ActorNameError && /one, two/.test(error.message));
      assert.equal(findTask(actors, 'missing'), undefined);
      assert.match(taskIdOf('one', 'solo'), /^[A-Za-z0-9]{17}$/);
    });
  });

  describe('schedules', () => {
    it('reads schedules with their defaults and checks cron, time zone and task', () => {
      const root = make('a', {
        '.actor/tasks.json': { daily: { input: { q: 1 } } },
        '.actor/schedules.json': { morning: { cron: '0 8 * * *', task: 'daily' }, often: { cron: '@hourly', timezone: 'Europe/Prague', enabled: false, input: { x: 1 } } },
      });
      assert.deepEqual(readActorSchedules(root), [
        { name: 'morning', cron: '0 8 * * *', timezone: 'UTC', enabled: true, description: undefined, task: 'daily', input: undefined, options: {} },
        { name: 'often', cron: '@hourly', timezone: 'Europe/Prague', enabled: false, description: undefined, task: undefined, input: { x: 1 }, options: {} },
      ]);
      const bad = make('b', {
        '.actor/schedules.json': {
          one: { cron: '61 * * * *' },
          two: { cron: '* * * * *', timezone: 'Nowhere/Land' },
          three: { cron: '* * * * *', task: 'none' },
          four: {},
          five: { cron: '* * * * *', build: { tag: 'x' }, input: {} },
          six: { cron: '* * * * *', build: { tag: 3 } },
          seven: { cron: '* * * * *', build: 'yes' },
        },
      });
      assert.throws(() => readActorSchedules(bad), (error: TaskFileError) => {
        const text = error.problems.join('\n');
        for (const expected of [
          'schedule "one": CronPattern: Invalid value for minute: 61',
          'schedule "two": Invalid time zone',
          '"task" "none" is not a task of this Actor',
          'schedule "four": "cron" must be a cron expression',
          'schedule "five": "build" builds the Actor, so "input" (of a run) cannot be given with it',
          'schedule "six": "build.tag" must be a build tag such as "nightly"',
          'schedule "seven": "build" must be true or an object such as {"tag": "nightly"}',
        ]) {
          assert.ok(text.includes(expected), `${expected} in ${text}`);
        }
        return true;
      });
    });

    it('computes the next fire after a time, in the schedule\'s time zone', () => {
      assert.equal(nextFireAt({ cron: '0 8 * * *', timezone: 'UTC' }, new Date('2026-03-01T08:00:00Z'))?.toISOString(), '2026-03-02T08:00:00.000Z');
      assert.equal(nextFireAt({ cron: '0 8 * * *', timezone: 'Europe/Prague' }, new Date('2026-03-01T06:00:00Z'))?.toISOString(), '2026-03-01T07:00:00.000Z');
    });

    it("a task's schedule runs the task's input with its own merged over it, origin SCHEDULER", () => {
      const root = make('a', { '.actor/tasks.json': { daily: { input: { q: 1, r: 2 }, options: { memoryMbytes: 512 } } } });
      const actor = describeActor(root);
      const options = scheduledRunOptions({ actor, schedule: { name: 's', cron: '* * * * *', timezone: 'UTC', enabled: true, task: 'daily', input: { r: 3 }, options: { timeoutSecs: 5 } } });
      assert.deepEqual(options, { memoryMbytes: 512, timeoutSecs: 5, input: { q: 1, r: 3 }, origin: 'SCHEDULER', scheduleName: 's', task: { id: taskIdOf('a', 'daily'), name: 'daily' } });
      assert.deepEqual(scheduledRunOptions({ actor, schedule: { name: 'p', cron: '* * * * *', timezone: 'UTC', enabled: true, options: {} } }), { input: {}, origin: 'SCHEDULER', scheduleName: 'p' });
    });
  });

  describe('scheduler (fake clock)', () => {
    const start = Date.parse('2026-03-01T10:00:30Z');
    const flush = () => new Promise((resolve) => setImmediate(resolve));

    function schedulerFor(roots: string[], clock: FakeClock) {
      const started: { actor: string; options: RunStartOptions; at: string }[] = [];
      const builds: { actor: string; options: BuildOptions; at: string }[] = [];
      let n = 0;
      const scheduler = new Scheduler({
        actors: () => roots.map((root) => describeActor(root)),
        startRun: async (actor, options) => {
          started.push({ actor: actor.name, options, at: new Date(clock.now()).toISOString() });
          if ((options.input as { fail?: boolean }).fail) throw new Error('Docker is not running');
          return { id: `run${++n}` };
        },
        startBuild: (actor, options) => {
          builds.push({ actor: actor.name, options, at: new Date(clock.now()).toISOString() });
          return { id: `build${builds.length}` };
        },
        clock,
        recheckMs: 60_000,
      });
      return { scheduler, started, builds };
    }

    it('fires each schedule at its times, and shows the next fire', async () => {
      const root = make('a', { '.actor/schedules.json': { every5: { cron: '*/5 * * * *' }, off: { cron: '* * * * *', enabled: false } } });
      const clock = new FakeClock(start);
      const { scheduler, started } = schedulerFor([root], clock);
      scheduler.start();
      assert.equal(scheduler.schedules()[0].nextAt?.toISOString(), '2026-03-01T10:05:00.000Z');
      assert.equal(scheduler.schedules()[1].nextAt, null, 'a disabled schedule never fires');
      clock.advanceTo(Date.parse('2026-03-01T10:16:00Z'));
      await flush();
      assert.deepEqual(started.map((run) => run.at), ['2026-03-01T10:05:00.000Z', '2026-03-01T10:10:00.000Z', '2026-03-01T10:15:00.000Z']);
      assert.deepEqual(started[0].options, { input: {}, origin: 'SCHEDULER', scheduleName: 'every5' });
      assert.equal(scheduler.schedules()[0].lastRunId, 'run3');
      assert.equal(scheduler.schedules()[0].nextAt?.toISOString(), '2026-03-01T10:20:00.000Z');
      scheduler.stop();
      clock.advanceTo(Date.parse('2026-03-01T11:00:00Z'));
      assert.equal(started.length, 3, 'a stopped scheduler fires nothing');
    });

    it('a build schedule builds the Actor (its tag, origin SCHEDULER) instead of running it', async () => {
      const root = make('a', { '.actor/schedules.json': { nightly: { cron: '0 2 * * *', build: { tag: 'nightly' } }, plain: { cron: '0 3 * * *', build: true } } });
      const clock = new FakeClock(start);
      const { scheduler, started, builds } = schedulerFor([root], clock);
      scheduler.start();
      clock.advanceTo(Date.parse('2026-03-02T03:30:00Z'));
      await flush();
      assert.equal(started.length, 0, 'no run');
      assert.deepEqual(builds, [
        { actor: 'a', options: { tag: 'nightly', origin: 'SCHEDULER', scheduleName: 'nightly' }, at: '2026-03-02T02:00:00.000Z' },
        { actor: 'a', options: { tag: undefined, origin: 'SCHEDULER', scheduleName: 'plain' }, at: '2026-03-02T03:00:00.000Z' },
      ]);
      const nightly = scheduler.schedules().find((state) => state.schedule.name === 'nightly')!;
      assert.equal(nightly.lastBuildId, 'build1');
      assert.equal(describeFire(nightly), 'build build1 started');
      assert.equal(scheduleTarget(nightly.schedule), 'build (tag nightly)');
      scheduler.stop();
    });

    it('does not replay fires missed while the process was suspended: one fire, then the next time from now', async () => {
      const root = make('a', { '.actor/schedules.json': { minutely: { cron: '* * * * *' } } });
      const clock = new FakeClock(start);
      const { scheduler, started } = schedulerFor([root], clock);
      scheduler.start();
      clock.jumpTo(Date.parse('2026-03-01T12:00:30Z'));
      await flush();
      assert.equal(started.length, 1);
      assert.equal(scheduler.schedules()[0].nextAt?.toISOString(), '2026-03-01T12:01:00.000Z');
      scheduler.stop();
    });

    it('sees a schedules file edited meanwhile, and records a run that could not start', async () => {
      const root = make('a');
      const clock = new FakeClock(start);
      const { scheduler, started } = schedulerFor([root], clock);
      scheduler.start();
      assert.equal(scheduler.schedules().length, 0);
      fs.writeFileSync(path.join(root, '.actor/schedules.json'), JSON.stringify({ broken: { cron: '*/2 * * * *', input: { fail: true } } }));
      clock.advanceTo(Date.parse('2026-03-01T10:02:30Z'));
      await flush();
      assert.equal(scheduler.schedules().length, 1, 'read again within recheckMs');
      assert.deepEqual(started.map((run) => run.at), ['2026-03-01T10:02:00.000Z'], 'first due after it was seen (10:01:30)');
      assert.equal(scheduler.schedules()[0].lastError, 'Docker is not running');
      scheduler.stop();
    });
  });

  describe('one process fires a workspace\'s schedules', () => {
    it('the first to claim fires while it lives; another takes over once it is gone', () => {
      const root = make('a');
      const dead = 2 ** 22 + 12345;
      assert.equal(claimScheduling(root, process.pid), true);
      assert.equal(claimScheduling(root, dead), false, 'a live holder keeps it');
      assert.equal(schedulingProcess(root), process.pid);
      releaseScheduling(root, process.pid);
      assert.equal(schedulingProcess(root), undefined);
      fs.writeFileSync(path.join(root, '.greenroom/scheduler.json'), JSON.stringify({ pid: dead }));
      assert.equal(claimScheduling(root, process.pid), true, 'a dead holder is replaced');
      releaseScheduling(root, process.pid);
    });

    it('a scheduler that may not fire passes due fires over and keeps the next time right', async () => {
      const root = make('a', { '.actor/schedules.json': { minutely: { cron: '* * * * *' } } });
      const clock = new FakeClock(Date.parse('2026-03-01T10:00:30Z'));
      let started = 0;
      const scheduler = new Scheduler({ actors: () => [describeActor(root)], startRun: async () => ({ id: `run${++started}` }), startBuild: () => ({ id: 'build' }), clock, mayFire: () => false });
      scheduler.start();
      clock.advanceTo(Date.parse('2026-03-01T10:03:30Z'));
      assert.equal(started, 0);
      assert.equal(scheduler.schedules()[0].nextAt?.toISOString(), '2026-03-01T10:04:00.000Z');
      scheduler.stop();
    });
  });
});
