/**
 * Validation speed: our validator next to the platform's @apify/input_schema validateInputSchema on the same files,
 * in the same run. Sections are functions returning rows, printed with the same table by bench/validate.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { validateInputSchema } from '@apify/input_schema';
import { validateDocument } from '../src/validator';

export interface BenchRow {
  case: string;
  size: string;
  /** Median milliseconds per measured subject, e.g. { greenroom: 1.2, official: 40 }. */
  medians: Record<string, number>;
  /** The subject the first one is compared with (the ratio column), e.g. "official". */
  baseline?: string;
  target?: string;
}

const REPO_ROOT = path.resolve(__dirname, '../..');
const EXAMPLE_INPUT_SCHEMA = path.join(REPO_ROOT, 'examples/hello-actor/.actor/input_schema.json');

/** Median duration of `run`, repeated until `minRuns` and `minMillis` are both reached (after an optional warm-up). */
export function medianMillis(run: () => void, minRuns = 5, minMillis = 200, warmUp = true): number {
  if (warmUp) run();
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < minRuns || (performance.now() - started < minMillis && durations.length < 1000)) {
    const start = performance.now();
    run();
    durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)];
}

/** An input schema of about `targetBytes`, cycling through every field type and editor the platform knows. */
export function generateLargeInputSchema(targetBytes: number): string {
  const description = 'Explains what this option does, when to change it, and what the Actor does with the value. '.repeat(2);
  const templates: Record<string, unknown>[] = [
    { type: 'string', editor: 'textfield', pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: 100, prefill: 'abc' },
    { type: 'string', editor: 'select', enum: ['one', 'two', 'three'], enumTitles: ['One', 'Two', 'Three'], default: 'one' },
    { type: 'integer', editor: 'number', minimum: 1, maximum: 1000, default: 10, unit: 'pages' },
    { type: 'boolean', editor: 'checkbox', default: false, groupCaption: 'Options' },
    { type: 'array', editor: 'requestListSources', prefill: [{ url: 'https://example.com' }] },
    { type: 'array', editor: 'stringList', items: { type: 'string', maxLength: 200 } },
    { type: 'array', editor: 'keyValue', items: { type: 'object', properties: { key: { type: 'string', title: 'Key', description: 'Key' }, value: { type: 'string', title: 'Value', description: 'Value' } } } },
    { type: 'object', editor: 'proxy', prefill: { useApifyProxy: true } },
    { type: 'object', editor: 'schemaBased', properties: { depth: { type: 'integer', title: 'Depth', description: 'How deep', editor: 'number' }, label: { type: 'string', title: 'Label', description: 'Label', editor: 'textfield' } } },
    { type: 'string', resourceType: 'dataset', resourcePermissions: ['READ'] },
  ];
  const properties: Record<string, unknown> = {};
  const schema = { title: 'Generated input', type: 'object', schemaVersion: 1, properties };
  for (let index = 0; JSON.stringify(schema, null, 2).length < targetBytes; index++) {
    for (let batch = 0; batch < 50; batch++, index++) {
      properties[`field${index}`] = { title: `Field ${index}`, description, ...templates[index % templates.length] };
    }
  }
  return JSON.stringify(schema, null, 2);
}

/** One Ajv for all calls, as a long-running caller (the platform, an editor) would keep it: it caches compiled schemas. */
const officialAjv = new Ajv2019({ strict: false });

function officialValidate(text: string): void {
  try {
    validateInputSchema(officialAjv, JSON.parse(text));
  } catch {
    // The verdict does not matter here, only the time.
  }
}

interface BenchCase {
  name: string;
  text: string;
  target: string;
  /** Runs of the official validator; 0 where it would take minutes (it recompiles each field's definition). */
  officialRuns: number;
}

/** The validator section: the example's input schema and a generated ~450 kB one. */
export function validationBenchmark(): BenchRow[] {
  const file = '/bench/.actor/input_schema.json';
  const cases: BenchCase[] = [
    { name: 'typical (examples/hello-actor)', text: fs.readFileSync(EXAMPLE_INPUT_SCHEMA, 'utf8'), target: '≤ 5 ms, ≤ 1.5× official', officialRuns: 3 },
    { name: 'generated large input schema', text: generateLargeInputSchema(450 * 1024), target: '≤ 50 ms (official: ~35 s per 50 kB, not run)', officialRuns: 0 },
  ];
  for (const { name, text } of cases) {
    const errors = validateDocument(file, text, 'input', { warnings: 'none' });
    if (errors.length) throw new Error(`benchmark schema ${name} is not valid: ${errors[0].message}`);
  }
  // Ours first for every case, so the official validator's compile garbage does not land in our timings.
  const ours = cases.map(({ text }) => medianMillis(() => validateDocument(file, text, 'input')));
  const official = cases.map(({ text, officialRuns }) => (officialRuns ? medianMillis(() => officialValidate(text), officialRuns, 0, false) : undefined));
  return cases.map(({ name, text, target }, index) => ({
    case: name,
    size: `${(Buffer.byteLength(text) / 1024).toFixed(0)} kB`,
    medians: { greenroom: ours[index], ...(official[index] === undefined ? {} : { official: official[index] as number }) },
    baseline: 'official',
    target,
  }));
}

export function printTable(title: string, rows: BenchRow[]): void {
  const subjects = [...new Set(rows.flatMap((row) => Object.keys(row.medians)))];
  const header = ['case', 'size', ...subjects.map((subject) => `${subject} (median ms)`), 'ratio', 'target'];
  const lines = rows.map((row) => {
    const ours = row.medians[subjects[0]];
    const theirs = row.baseline ? row.medians[row.baseline] : undefined;
    const ratio = ours !== undefined && theirs ? `${(ours / theirs).toFixed(3)}×` : '';
    return [row.case, row.size, ...subjects.map((subject) => row.medians[subject]?.toFixed(2) ?? ''), ratio, row.target ?? ''];
  });
  const widths = header.map((cell, column) => Math.max(cell.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');
  console.log(`\n${title}\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('-|-')}`);
  lines.forEach((line) => console.log(format(line)));
}
