import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, reportEngineError, WORKSPACE_OPTION } from '../engineCli';

export const logCommand: CliCommand = {
  usage: 'Usage: greenroom log <runId> [--actor DIR] [--workspace DIR]',
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      io.stdout.write(engine.readRunLog(engine.requireRun(positionals[0]).id));
      return EXIT_OK;
    } catch (error) {
      return reportEngineError(io, 'log', error);
    } finally {
      engine.dispose();
    }
  },
};
