import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { actorRootFrom, createEngine } from '../engineCli';

export const itemsCommand: CliCommand = {
  usage: 'Usage: greenroom items <runId> [--actor DIR]',
  options: { actor: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = createEngine(actorRootFrom(io, values.actor as string | undefined));
    try {
      const run = engine.getRun(positionals[0]);
      if (!run) {
        io.stderr.write(`greenroom items: no run ${positionals[0]} in ${engine.layout.runsDir}\n`);
        return EXIT_FAILURE;
      }
      for (const item of engine.storages(run.id).datasetItems(run.defaultDatasetId)) io.stdout.write(JSON.stringify(item) + '\n');
      return EXIT_OK;
    } finally {
      engine.dispose();
    }
  },
};
