import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { readDatasetView, viewRows } from '../../storage/datasetViews';
import { EXPORT_FORMATS, exportDataset, exportDatasetToFile, isBinaryFormat, isExportFormat } from '../../storage/export/datasetExport';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { openEngine, reportEngineError, WORKSPACE_OPTION } from '../engineCli';

export const itemsCommand: CliCommand = {
  usage: [
    `Usage: greenroom items <runId> [--format ${EXPORT_FORMATS.join('|')}] [--view ID] [--output FILE] [--actor DIR] [--workspace DIR]`,
    '',
    "Writes the run's default dataset items, streamed: JSON Lines to stdout unless --format or --output say otherwise.",
    "--view ID: the rows a view of the Actor's dataset schema makes (its fields, omit, unwind, flatten, order, limit).",
    'xlsx is binary: give --output FILE, or redirect stdout to a file or a pipe.',
  ].join('\n'),
  options: { ...WORKSPACE_OPTION, actor: { type: 'string' }, format: { type: 'string', default: 'jsonl' }, output: { type: 'string' }, view: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const format = values.format as string;
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
    const output = values.output as string | undefined;
    if (output === undefined && isBinaryFormat(format) && (io.stdout as Writable & { isTTY?: boolean }).isTTY) {
      throw new UsageError(`${format} is a binary format and stdout is a terminal: give --output FILE, or redirect stdout to a file or a pipe`);
    }
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      let run;
      try {
        run = engine.requireRun(positionals[0]);
      } catch (error) {
        return reportEngineError(io, 'items', error);
      }
      const viewId = values.view as string | undefined;
      let view;
      try {
        view = viewId === undefined ? undefined : readDatasetView(engine.layout.actorRoot, viewId);
      } catch (error) {
        io.stderr.write(`greenroom items: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT_FAILURE;
      }
      const items = viewRows(engine.storages(run.id), run.defaultDatasetId, view);
      const title = `${run.actId} run ${run.id}`;
      try {
        if (output === undefined) {
          await exportDataset(items, format, io.stdout, { title });
          return EXIT_OK;
        }
        const count = await exportDatasetToFile(items, format, resolve(io.cwd, output), { title });
        io.stderr.write(`Wrote ${count} item${count === 1 ? '' : 's'} as ${format} to ${output}\n`);
        return EXIT_OK;
      } catch (error) {
        io.stderr.write(`greenroom items: could not export the dataset as ${format}: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT_FAILURE;
      }
    } finally {
      engine.dispose();
    }
  },
};
