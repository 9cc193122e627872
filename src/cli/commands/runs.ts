import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION, formatDuration, table } from '../engineCli';

export const runsCommand: CliCommand = {
  usage: 'Usage: greenroom runs [actorDir] [--workspace DIR] [--json]',
  options: { ...WORKSPACE_OPTION, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    const engine = await openEngine(io, positionals[0], values);
    const runs = engine.listRuns();
    if (values.json) {
      io.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    } else if (runs.length === 0) {
      io.stdout.write('No runs yet.\n');
    } else {
      const rows = runs.map((r) => [r.id, r.status, r.buildNumber, r.startedAt, formatDuration(r.stats.durationMillis), String(r.stats.datasetItemCount ?? ''), r.statusMessage ?? '']);
      io.stdout.write(table([['ID', 'STATUS', 'BUILD', 'STARTED', 'DURATION', 'ITEMS', 'STATUS MESSAGE'], ...rows]));
    }
    engine.dispose();
    return EXIT_OK;
  },
};
