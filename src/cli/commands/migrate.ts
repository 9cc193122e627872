import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION, reportEngineError } from '../engineCli';

export const migrateCommand: CliCommand = {
  usage: [
    'Usage: greenroom migrate <runId> [--actor DIR] [--workspace DIR] [--json]',
    '',
    'Moves a running run at home to a new container, as when the platform moves a run to another server: the Actor',
    'gets the `migrating` event (and persistState), has the graceful window to save its state and exit, then a new',
    'container continues the run on the same storages. The run stays RUNNING; a run in local mode is refused.',
  ].join('\n'),
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      const run = await engine.migrate(positionals[0]);
      const count = run.stats.migrationCount ?? 0;
      io.stdout.write(values.json ? JSON.stringify(run, null, 2) + '\n' : `Run ${run.id} ${run.status} (migrations: ${count})\n`);
      return EXIT_OK;
    } catch (error) {
      return reportEngineError(io, 'migrate', error);
    } finally {
      engine.dispose();
    }
  },
};
