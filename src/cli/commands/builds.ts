import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION, formatDuration, table } from '../engineCli';

export const buildsCommand: CliCommand = {
  usage: 'Usage: greenroom builds [actorDir] [--workspace DIR] [--json]',
  options: { ...WORKSPACE_OPTION, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    const engine = await openEngine(io, positionals[0], values);
    const builds = engine.listBuilds();
    const tags = Object.entries(engine.tags());
    const tagsOf = (id: string) => tags.filter(([, buildId]) => buildId === id).map(([tag]) => tag);
    if (values.json) {
      io.stdout.write(JSON.stringify(builds.map((b) => ({ ...b, tags: tagsOf(b.id) })), null, 2) + '\n');
    } else if (builds.length === 0) {
      io.stdout.write('No builds yet.\n');
    } else {
      const rows = builds.map((b) => [b.id, b.buildNumber, b.status, tagsOf(b.id).join(','), b.startedAt, formatDuration(b.stats.durationMillis), b.stats.imageSizeBytes ? `${(b.stats.imageSizeBytes / 1e6).toFixed(1)} MB` : '']);
      io.stdout.write(table([['ID', 'NUMBER', 'STATUS', 'TAGS', 'STARTED', 'DURATION', 'IMAGE'], ...rows]));
    }
    engine.dispose();
    return EXIT_OK;
  },
};
