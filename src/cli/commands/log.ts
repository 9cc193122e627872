import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION } from '../engineCli';

export const logCommand: CliCommand = {
  usage: 'Usage: greenroom log <runId> [--actor DIR] [--workspace DIR]',
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      if (!engine.getRun(positionals[0])) {
        io.stderr.write(`greenroom log: no run ${positionals[0]} in ${engine.layout.runsDir}\n`);
        return EXIT_FAILURE;
      }
      io.stdout.write(engine.readRunLog(positionals[0]));
      return EXIT_OK;
    } finally {
      engine.dispose();
    }
  },
};
