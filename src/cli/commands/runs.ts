import { CliCommand, EXIT_OK, UsageError } from '../command';
import { runCharges } from '../../engine/chargeLedger';
import { formatRunCost } from '../../engine/pricing';
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
      // A COST column once any run is pay-per-event: what each charged, within its limit.
      const costs = runs.map((r) => formatRunCost(runCharges(engine.layout, r)).total);
      const withCost = costs.some(Boolean);
      const rows = runs.map((r, i) => [r.id, r.status, r.buildNumber, r.startedAt, formatDuration(r.stats.durationMillis), String(r.stats.datasetItemCount ?? ''), ...(withCost ? [costs[i]] : []), r.statusMessage ?? '']);
      io.stdout.write(table([['ID', 'STATUS', 'BUILD', 'STARTED', 'DURATION', 'ITEMS', ...(withCost ? ['COST'] : []), 'STATUS MESSAGE'], ...rows]));
    }
    engine.dispose();
    return EXIT_OK;
  },
};
