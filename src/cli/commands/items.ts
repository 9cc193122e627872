import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { datasetRows, ItemOptionName, ItemOptions, parseItemOptions, readDatasetView } from '../../storage/datasetViews';
import { EXPORT_FORMATS, exportDataset, exportDatasetToFile, isBinaryFormat, isExportFormat } from '../../storage/export/datasetExport';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { openEngine, reportEngineError, WORKSPACE_OPTION } from '../engineCli';

/** Each item option as a flag of this command: kebab-case, a boolean for a flag option, a string for the others. */
const ITEM_OPTION_FLAGS: Record<ItemOptionName, { name: string; type: 'string' | 'boolean' }> = {
  fields: { name: 'fields', type: 'string' },
  omit: { name: 'omit', type: 'string' },
  unwind: { name: 'unwind', type: 'string' },
  flatten: { name: 'flatten', type: 'string' },
  clean: { name: 'clean', type: 'boolean' },
  skipHidden: { name: 'skip-hidden', type: 'boolean' },
  skipEmpty: { name: 'skip-empty', type: 'boolean' },
  desc: { name: 'desc', type: 'boolean' },
  offset: { name: 'offset', type: 'string' },
  limit: { name: 'limit', type: 'string' },
};

export const itemsCommand: CliCommand = {
  usage: [
    `Usage: greenroom items <runId> [--format ${EXPORT_FORMATS.join('|')}] [--view ID] [--output FILE] [--actor DIR] [--workspace DIR]`,
    '                       [--fields A,B] [--omit A,B] [--unwind A,B] [--flatten A,B] [--clean] [--skip-hidden] [--skip-empty]',
    '                       [--desc] [--offset N] [--limit N]',
    '',
    "Writes the run's default dataset items, streamed: JSON Lines to stdout unless --format or --output say otherwise.",
    "--view ID: the rows a view of the Actor's dataset schema makes (its fields, omit, unwind, flatten, order, limit).",
    "The platform's export options (over the view's with --view: an option given wins, the smaller limit counts):",
    '  --fields A,B    only these fields, in this order',
    '  --omit A,B      without these fields',
    '  --unwind A,B    in this order: an array field becomes one row per element (an object element merged into the',
    '                  item), an empty array no row; an object field is merged into the item',
    '  --flatten A,B   nested objects as a.b fields',
    '  --skip-hidden   without #fields;  --skip-empty  without rows left empty;  --clean  both',
    '  --desc          newest items first',
    '  --offset N      skip N stored items;  --limit N  at most N stored items (0: no limit); both count items',
    '                  before unwinding and skipping, as the platform pages',
    'xlsx is binary: give --output FILE, or redirect stdout to a file or a pipe.',
  ].join('\n'),
  options: {
    ...WORKSPACE_OPTION,
    actor: { type: 'string' },
    format: { type: 'string', default: 'jsonl' },
    output: { type: 'string' },
    view: { type: 'string' },
    ...Object.fromEntries(Object.values(ITEM_OPTION_FLAGS).map((flag) => [flag.name, { type: flag.type }])),
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const itemOptions = readItemOptions(values);
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
      const items = datasetRows(engine.storages(run.id), run.defaultDatasetId, view, itemOptions);
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

function readItemOptions(values: Record<string, unknown>): ItemOptions {
  try {
    return parseItemOptions(
      (name) => values[ITEM_OPTION_FLAGS[name].name] as string | boolean | undefined,
      (name) => `--${ITEM_OPTION_FLAGS[name].name}`,
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
