import { CliCommand, EXIT_OK, UsageError } from '../command';
import { actorRootFrom, createEngine, reportEngineError } from '../engineCli';

export const logCommand: CliCommand = {
  usage: 'Usage: greenroom log <runId> [--actor DIR]',
  options: { actor: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = createEngine(actorRootFrom(io, values.actor as string | undefined));
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
