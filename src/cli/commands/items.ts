import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { EXPORT_FORMATS, exportDataset, isExportFormat } from '../../engine/export/datasetExport';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { actorRootFrom, createEngine } from '../engineCli';

export const itemsCommand: CliCommand = {
  usage: [
    `Usage: greenroom items <runId> [--format ${EXPORT_FORMATS.join('|')}] [--output FILE] [--actor DIR]`,
    '',
    "Writes the run's default dataset items, streamed: JSON Lines to stdout unless --format or --output say otherwise.",
  ].join('\n'),
  options: { actor: { type: 'string' }, format: { type: 'string', default: 'jsonl' }, output: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const format = values.format as string;
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
    const engine = createEngine(actorRootFrom(io, values.actor as string | undefined));
    try {
      const run = engine.getRun(positionals[0]);
      if (!run) {
        io.stderr.write(`greenroom items: no run ${positionals[0]} in ${engine.layout.runsDir}\n`);
        return EXIT_FAILURE;
      }
      const storages = engine.storages(run.id);
      const items = () => storages.datasetItems(run.defaultDatasetId);
      const title = `${run.actId} run ${run.id}`;
      if (values.output === undefined) {
        await exportDataset(items, format, io.stdout, { title });
        return EXIT_OK;
      }
      const file = createWriteStream(values.output as string);
      const count = await exportDataset(items, format, file, { title });
      file.end();
      await finished(file);
      io.stderr.write(`Wrote ${count} item${count === 1 ? '' : 's'} as ${format} to ${values.output}\n`);
      return EXIT_OK;
    } finally {
      engine.dispose();
    }
  },
};
