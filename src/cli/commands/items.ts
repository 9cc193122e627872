import { once } from 'node:events';
import { createWriteStream, rmSync, WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { EXPORT_FORMATS, ExportFormat, exportDataset, isBinaryFormat, isExportFormat, ItemSource } from '../../engine/export/datasetExport';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { actorRootFrom, createEngine } from '../engineCli';

export const itemsCommand: CliCommand = {
  usage: [
    `Usage: greenroom items <runId> [--format ${EXPORT_FORMATS.join('|')}] [--output FILE] [--actor DIR]`,
    '',
    "Writes the run's default dataset items, streamed: JSON Lines to stdout unless --format or --output say otherwise.",
    'xlsx is binary: give --output FILE, or redirect stdout to a file or a pipe.',
  ].join('\n'),
  options: { actor: { type: 'string' }, format: { type: 'string', default: 'jsonl' }, output: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const format = values.format as string;
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
    const output = values.output as string | undefined;
    if (output === undefined && isBinaryFormat(format) && (io.stdout as Writable & { isTTY?: boolean }).isTTY) {
      throw new UsageError(`${format} is a binary format and stdout is a terminal: give --output FILE, or redirect stdout to a file or a pipe`);
    }
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
      const file = output === undefined ? undefined : createWriteStream(resolve(io.cwd, output));
      try {
        const count = file ? await exportToFile(items, format, file, title) : await exportDataset(items, format, io.stdout, { title });
        if (file) io.stderr.write(`Wrote ${count} item${count === 1 ? '' : 's'} as ${format} to ${output}\n`);
        return EXIT_OK;
      } catch (error) {
        if (file) discard(file);
        io.stderr.write(`greenroom items: could not export the dataset as ${format}: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT_FAILURE;
      }
    } finally {
      engine.dispose();
    }
  },
};

async function exportToFile(items: ItemSource, format: ExportFormat, file: WriteStream, title: string): Promise<number> {
  // A path that cannot be written fails here, before any item is read, rather than as an unhandled 'error' later.
  await once(file, 'open');
  const count = await exportDataset(items, format, file, { title });
  file.end();
  await finished(file);
  return count;
}

/** A half-written export is of no use (an xlsx without its zip directory does not even open): leave nothing behind. */
function discard(file: WriteStream): void {
  const created = !file.pending;
  file.destroy();
  if (created) rmSync(file.path, { force: true });
}
