import { CliCommand, UsageError } from '../command';
import { withRunEngine, WORKSPACE_OPTION, optionalNumber, optionalSeconds, reportEngineError } from '../engineCli';
import { followRun } from '../followRun';
import type { ResurrectOptions } from '../../engine/runs';

export const resurrectCommand: CliCommand = {
  usage: [
    'Usage: greenroom resurrect <runId> [--actor DIR] [--build tag|number] [--memory MB] [--timeout S] [--dev] [--debug]',
    '                          [--workspace DIR] [--json]',
    '',
    'The timeout counts from now; the run\'s duration leaves out the time it was stopped. Streams the log and',
    'exits with the Actor\'s exit code, like `greenroom run`. The run comes back in dev mode if it ran in dev mode',
    '(--dev: in dev mode whatever it was); --debug brings it back with a debugger waiting before the first line, as',
    '`greenroom run --debug` (no timeout unless --timeout).',
  ].join('\n'),
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' }, build: { type: 'string' }, memory: { type: 'string' }, timeout: { type: 'string' }, dev: { type: 'boolean' }, debug: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const runId = positionals[0];
    const options: ResurrectOptions = {
      build: values.build as string | undefined,
      memoryMbytes: optionalNumber(values, 'memory'),
      timeoutSecs: optionalSeconds(values, 'timeout'),
      // Absent: as the run was (the engine's default).
      ...(values.dev === true && { devMode: true }),
      debug: values.debug === true,
    };
    return withRunEngine(io, values.actor as string | undefined, values, async (engine) => {
      try {
        return await followRun(engine, io, values.json === true, () => engine.resurrect(runId, options), runId);
      } catch (error) {
        return reportEngineError(io, 'resurrect', error);
      }
    });
  },
};
