import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, reportEngineError, WORKSPACE_OPTION } from '../engineCli';

export const logCommand: CliCommand = {
  usage: 'Usage: greenroom log <runId> [--timestamps] [--actor DIR] [--workspace DIR]',
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' }, timestamps: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      const runId = engine.requireRun(positionals[0]).id;
      // Each line prefixed by its ISO time (a "-" where none is known); without the option, the log byte for byte.
      io.stdout.write(values.timestamps ? await engine.readRunLogWithTimes(runId) : engine.readRunLog(runId));
      return EXIT_OK;
    } catch (error) {
      return reportEngineError(io, 'log', error);
    } finally {
      engine.dispose();
    }
  },
};
