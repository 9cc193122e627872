import { resolve } from 'node:path';
import { CliCommand, UsageError } from '../command';
import { withRunEngine, WORKSPACE_OPTION, optionalNumber, optionalSeconds, reportEngineError } from '../engineCli';
import { followRun } from '../followRun';
import { STORAGE_MODES, StorageMode } from '../../engine/platformLink';
import type { RunStartOptions } from '../../engine/runs';
import { readActorTasks, taskIdOf, taskRunOptions } from '../../workspace/tasks';

/** The run of the Actor's task `name`: its input and options, with what the command line gives over them. */
function taskRun(actorRoot: string, actorName: string, name: string, given: RunStartOptions): RunStartOptions {
  const tasks = readActorTasks(actorRoot);
  const task = tasks.find((candidate) => candidate.name === name);
  if (!task) throw new UsageError(`${actorName} has no task "${name}" in .actor/tasks.json${tasks.length ? ` (its tasks: ${tasks.map((t) => t.name).join(', ')})` : ''}`);
  return { ...taskRunOptions(task, given), task: { id: taskIdOf(actorName, name), name } };
}

export const runCommand: CliCommand = {
  usage: [
    'Usage: greenroom run [actorDir] [--build tag|number] [--input JSON | --input-file F] [--memory MB]',
    '                     [--timeout S] [--max-items N] [--max-total-charge-usd USD] [--restart-on-error]',
    '                     [--shared-storage] [--storage-mode at-home|local]',
    '                     [--task NAME] [--dev] [--debug] [--workspace DIR] [--json]',
    '',
    'Streams the log and exits with the Actor\'s exit code. The input (default: the Actor\'s',
    'storage/key_value_stores/default/INPUT.json) is completed with the input schema\'s defaults and validated',
    'first. Each run gets its own storages under .greenroom/storage; --shared-storage uses the Actor\'s storage/',
    'instead (nothing is purged). --json prints the final run record on stdout and the log on stderr.',
    'The run is "at home" on the local Apify API (the SDK\'s platform code path) unless --storage-mode local keeps',
    'the SDK\'s local mode (storages mounted, no API); the log says when a run falls back to local mode.',
    '--max-total-charge-usd caps what a pay-per-event Actor may charge in the run (ACTOR_MAX_TOTAL_CHARGE_USD).',
    '--restart-on-error restarts the run\'s container when it fails, as the platform\'s restartOnError (not after',
    '3 restarts within a minute).',
    '--task NAME runs a task of the Actor (.actor/tasks.json): its input (with --input merged over it) and its',
    'run options (the options given here win).',
    '--dev runs the built image with the Actor\'s source mounted read-only over its working directory (no build;',
    'the image\'s installed dependencies stay). --debug starts the Actor with a debugger listening on a loopback port',
    '(Node\'s inspector, or debugpy for Python) and waits for it before the first line; no timeout unless --timeout.',
    'Ctrl+C aborts gracefully (`aborting`, or SIGINT in local mode, then a kill after 30 s); a second Ctrl+C kills at once.',
  ].join('\n'),
  options: {
    ...WORKSPACE_OPTION,
    build: { type: 'string' },
    input: { type: 'string' },
    'input-file': { type: 'string' },
    memory: { type: 'string' },
    timeout: { type: 'string' },
    'max-items': { type: 'string' },
    'max-total-charge-usd': { type: 'string' },
    'restart-on-error': { type: 'boolean' },
    'shared-storage': { type: 'boolean' },
    'storage-mode': { type: 'string' },
    task: { type: 'string' },
    dev: { type: 'boolean' },
    debug: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    if (values.input !== undefined && values['input-file'] !== undefined) throw new UsageError('give --input or --input-file, not both');
    if (values.task !== undefined && values['input-file'] !== undefined) throw new UsageError("--task runs the task's input: give --input to change fields of it, not --input-file");
    let input: unknown;
    if (values.input !== undefined) {
      try {
        input = JSON.parse(values.input as string);
      } catch (error) {
        throw new UsageError(`--input is not valid JSON: ${(error as Error).message}`);
      }
    }
    const storageMode = values['storage-mode'] as StorageMode | undefined;
    if (storageMode !== undefined && !STORAGE_MODES.includes(storageMode)) throw new UsageError(`--storage-mode must be ${STORAGE_MODES.join(' or ')}, got "${storageMode}"`);
    const options: RunStartOptions = {
      build: values.build as string | undefined,
      input,
      inputFile: values['input-file'] === undefined ? undefined : resolve(io.cwd, values['input-file'] as string),
      memoryMbytes: optionalNumber(values, 'memory'),
      timeoutSecs: optionalSeconds(values, 'timeout'),
      maxItems: optionalNumber(values, 'max-items', { min: 0 }),
      maxTotalChargeUsd: optionalNumber(values, 'max-total-charge-usd', { what: 'a number of USD', min: 0 }),
      restartOnError: values['restart-on-error'] === true,
      sharedStorage: values['shared-storage'] === true,
      storageMode,
      devMode: values.dev === true,
      debug: values.debug === true,
    };
    return withRunEngine(io, positionals[0], values, async (engine) => {
      try {
        const start = values.task === undefined ? options : taskRun(engine.layout.actorRoot, engine.definition().name, values.task as string, options);
        return await followRun(engine, io, values.json === true, () => engine.run(start));
      } catch (error) {
        return reportEngineError(io, 'run', error);
      }
    });
  },
};
