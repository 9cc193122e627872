import { CliCommand, UsageError } from '../command';
import { withRunEngine, WORKSPACE_OPTION, optionalNumber, optionalSeconds, reportEngineError } from '../engineCli';
import { followRun } from '../followRun';

export const resurrectCommand: CliCommand = {
  usage: [
    'Usage: greenroom resurrect <runId> [--actor DIR] [--build tag|number] [--memory MB] [--timeout S] [--workspace DIR] [--json]',
    '',
    'The timeout counts from now; the run\'s duration leaves out the time it was stopped. Streams the log and',
    'exits with the Actor\'s exit code, like `greenroom run`.',
  ].join('\n'),
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' }, build: { type: 'string' }, memory: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const runId = positionals[0];
    const options = { build: values.build as string | undefined, memoryMbytes: optionalNumber(values, 'memory'), timeoutSecs: optionalSeconds(values, 'timeout') };
    return withRunEngine(io, values.actor as string | undefined, values, async (engine) => {
      try {
        return await followRun(engine, io, values.json === true, () => engine.resurrect(runId, options), runId);
      } catch (error) {
        return reportEngineError(io, 'resurrect', error);
      }
    });
  },
};
