/**
 * The diagnostic code catalogue (src/validator/codes.ts) against the sources: every code the rules use is in it,
 * every entry is used, no rule spells a code as a string of its own, each code is reported only with the
 * severities the catalogue gives, the tests name only catalogued codes, and docs/diagnostics.md lists exactly the
 * catalogue (`GREENROOM_WRITE_DOCS=1` rewrites that page from the catalogue).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCodes, Codes, DiagnosticCode } from '../../../src/validator/codes';

const REPO = path.resolve(__dirname, '../../../..');
const CATALOGUE = 'src/validator/codes.ts';
const DOCS_PAGE = 'docs/diagnostics.md';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(relative);
    return /\.(ts|mjs)$/.test(entry.name) ? [relative] : [];
  });
}

const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');
/**
 * Every file that could report a diagnostic. Not the generated validators (src/validator/compiled/), nor the local
 * platform API (src/platform/), whose error types ("internal-error", …) are the platform's HTTP API strings.
 */
const NOT_EMITTERS = /^(src\/validator\/compiled|src\/platform)\//;
const emitters = ['src', 'server/src'].flatMap(sourceFiles).filter((file) => file !== CATALOGUE && !NOT_EMITTERS.test(file.split(path.sep).join('/')));
const emitterText = new Map(emitters.map((file) => [file, read(file)]));
const codes = allCodes();
const ids = new Set(codes.map((code) => code.id));
/** A quoted string that looks like a code: `internal-error`, or one of the catalogue's prefixes, a slash, a name. */
const prefixes = [...new Set(codes.map((code) => code.id.split('/')[0]))].filter((prefix) => prefix !== 'internal-error');
const codeLiteral = new RegExp(String.raw`['"\`]((?:${prefixes.join('|')})/[a-z0-9-]+|internal-error)['"\`]`, 'g');

/** Each entry as the sources name it: `Codes.actor.invalidVersion`, `Codes.internalError`. */
function namedEntries(): { name: string; group?: string; key: string; code: DiagnosticCode }[] {
  return Object.entries(Codes).flatMap(([group, value]) =>
    'id' in value
      ? [{ name: `Codes.${group}`, key: group, code: value as DiagnosticCode }]
      : Object.entries(value as Record<string, DiagnosticCode>).map(([key, code]) => ({ name: `Codes.${group}.${key}`, group, key, code })));
}

function renderDocsPage(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    'Every problem the validator reports (in the editor, through the language server, and from `greenroom validate`)',
    'carries one of these codes. A code never changes once published, so it is safe to filter on. Warnings and',
    'infos appear only at the warning levels that keep them (`greenroom.validation.warnings`, `greenroom validate',
    '--warnings`). The list is generated from `src/validator/codes.ts` and checked by',
    '`test/unit/validator/codes.test.ts` (`GREENROOM_WRITE_DOCS=1 npx mocha --config .mocharc.json',
    'out/test/unit/validator/codes.test.js` rewrites it).',
    '',
    '| Code | Severity | Meaning |',
    '|---|---|---|',
    ...codes.map((code) => `| \`${code.id}\` | ${code.severities.join(', ')} | ${code.meaning.replace(/\|/g, '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}

describe('Diagnostic code catalogue', () => {
  it('gives every code one entry with a severity and a meaning', () => {
    assert.equal(ids.size, codes.length, 'a code id appears twice in the catalogue');
    for (const code of codes) {
      assert.match(code.id, /^([a-z-]+\/)?[a-z0-9-]+$/, code.id);
      assert.ok(code.severities.length > 0, `${code.id} has no severity`);
      assert.ok(code.meaning.trim().endsWith('.'), `${code.id} needs a one-line meaning`);
    }
  });

  it('has no entry the sources do not use', () => {
    const all = [...emitterText.values()].join('\n');
    const unused = namedEntries().filter(({ name, group, key }) => {
      if (all.includes(name)) return false;
      // The generic meta-schema wording (schemaErrors.ts) names a family member as `codes.<key>` of the family a
      // rule hands it (`codes: Codes.<group>`).
      return !(group && all.includes(`codes: Codes.${group}`) && new RegExp(String.raw`\bcodes\.${key}\b`).test(all));
    });
    assert.deepEqual(unused.map(({ code }) => code.id), []);
  });

  it('is the only place that spells a code: no code strings in src/ or server/src/', () => {
    const spelled = [...emitterText].flatMap(([file, text]) => [...text.matchAll(codeLiteral)].map((match) => `${file}: ${match[1]}`));
    assert.deepEqual(spelled, []);
  });

  it('gives each code the severities the rules report it with', () => {
    const mismatches: string[] = [];
    const entries = new Map(namedEntries().map((entry) => [entry.name, entry.code]));
    const check = (file: string, name: string, severity: string) => {
      const code = entries.get(name);
      if (code && !code.severities.includes(severity as never)) mismatches.push(`${file}: ${code.id} reported as ${severity}`);
    };
    for (const [file, text] of emitterText) {
      // report.error(site, path, Codes.x.y, …) and the input schema's warn([…], Codes.x.y, …)
      for (const match of text.matchAll(/\.(error|warning|info)\([^;]*?(Codes\.\w+\.\w+)/g)) check(file, match[2], match[1]);
      for (const match of text.matchAll(/\bwarn\(\[[^\]]*\], (Codes\.\w+\.\w+)/g)) check(file, match[1], 'warning');
      // Findings ({ …, code: Codes.x.y }) and JSON syntax diagnostics are reported as errors.
      for (const match of text.matchAll(/code(?::|\s*=)\s*(Codes\.\w+\.\w+)/g)) check(file, match[1], 'error');
      for (const match of text.matchAll(/syntaxDiagnostic\([^;]*?(Codes\.\w+\.\w+)/g)) check(file, match[1], 'error');
    }
    assert.deepEqual(mismatches, []);
  });

  it('knows every code the tests, benchmarks and README name', () => {
    const files = [...['test', 'bench'].flatMap(sourceFiles), 'README.md'];
    const unknown = files.flatMap((file) => [...read(file).matchAll(codeLiteral)].map((match) => match[1]).filter((id) => !ids.has(id)).map((id) => `${file}: ${id}`));
    assert.deepEqual(unknown, []);
  });

  it(`is listed in ${DOCS_PAGE}`, () => {
    const expected = renderDocsPage();
    if (process.env.GREENROOM_WRITE_DOCS === '1') fs.writeFileSync(path.join(REPO, DOCS_PAGE), expected);
    assert.equal(fs.existsSync(path.join(REPO, DOCS_PAGE)) ? read(DOCS_PAGE) : '', expected,
      `${DOCS_PAGE} is out of date: GREENROOM_WRITE_DOCS=1 npx mocha --config .mocharc.json out/test/unit/validator/codes.test.js`);
  });
});
