/** Verdict parity with the platform's published validators: accepted ⇔ zero errors from us. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ActorValidator, diskFileSource, SchemaRole } from '../../../src/validator';
import { errorsOf, officialVerdict, parityMismatch } from './helpers';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const CORPUS = process.env.GREENROOM_CORPUS ?? path.resolve(REPO_ROOT, '../shared/corpus');

const validInputSchema = {
  title: 'Scraper input',
  type: 'object',
  schemaVersion: 1,
  properties: {
    startUrls: { title: 'Start URLs', type: 'array', description: 'Where to start', editor: 'requestListSources', prefill: [{ url: 'https://apify.com' }] },
    keyword: { title: 'Keyword', type: 'string', description: 'Search term', editor: 'textfield', pattern: '^[a-z]+$', minLength: 1 },
    mode: { title: 'Mode', type: 'string', description: 'How', enum: ['fast', 'slow'], enumTitles: ['Fast', 'Slow'], default: 'fast' },
    maxItems: { title: 'Max items', type: 'integer', description: 'Limit', minimum: 1, maximum: 100, default: 10, unit: 'items' },
    ratio: { title: 'Ratio', type: 'number', description: 'A ratio', editor: 'number', nullable: true, default: null },
    debug: { title: 'Debug', type: 'boolean', description: 'Log more', editor: 'checkbox', groupCaption: 'Options', sectionCaption: 'Advanced' },
    proxy: { title: 'Proxy', type: 'object', description: 'Proxy settings', editor: 'proxy', prefill: { useApifyProxy: true } },
    headers: { title: 'Headers', type: 'array', description: 'Headers', editor: 'keyValue', items: { type: 'object', properties: { key: { type: 'string', title: 'Key', description: 'k' }, value: { type: 'string', title: 'Value', description: 'v' } } } },
    tags: { title: 'Tags', type: 'array', description: 'Pick', editor: 'select', items: { type: 'string', enum: ['a', 'b'] } },
    apiKey: { title: 'API key', type: 'string', description: 'Secret', editor: 'textfield', isSecret: true },
    options: { title: 'Options', type: 'object', description: 'Nested', editor: 'schemaBased', properties: { depth: { title: 'Depth', type: 'integer', description: 'd', editor: 'number' } } },
    dataset: { title: 'Dataset', type: 'string', description: 'Source dataset', resourceType: 'dataset', resourcePermissions: ['READ'] },
    anything: { title: 'Anything', type: ['string', 'object'], description: 'Any', editor: 'json' },
    date: { title: 'Date', type: 'string', description: 'When', editor: 'datepicker', dateType: 'absolute' },
  },
  required: ['startUrls'],
};

const validDatasetSchema = {
  actorSpecification: 1,
  fields: { type: 'object', properties: { title: { type: 'string' }, url: { type: 'string' } } },
  views: { overview: { title: 'Overview', transformation: { fields: ['title', 'url'] }, display: { component: 'table', properties: { title: { label: 'Title', format: 'text' } } } } },
};
const validOutputSchema = { actorOutputSchemaVersion: 1, title: 'Output', properties: { results: { type: 'string', title: 'Results', template: '{{links.apiDefaultDatasetUrl}}/items' } } };
const validKeyValueStoreSchema = { actorKeyValueStoreSchemaVersion: 1, title: 'Store', collections: { screenshots: { title: 'Shots', keyPrefix: 'shot-', contentTypes: ['image/png'] } } };

const seeds: Record<Exclude<SchemaRole, 'webServer'>, unknown> = {
  input: validInputSchema, dataset: validDatasetSchema, output: validOutputSchema, keyValueStore: validKeyValueStoreSchema,
};

describe('validator parity with the published validators', function () {
  // Synchronous CPU work (the official validators): mocha cannot interrupt it, so a time-out would only turn a
  // busy machine into a failure; a hang would stop the stage, which `npm test` cuts off.
  this.timeout(0);

  it('accepts the seed schemas, as the platform does', () => {
    for (const [role, schema] of Object.entries(seeds)) {
      assert.equal(officialVerdict(role as SchemaRole, JSON.stringify(schema)), true, role);
      assert.equal(parityMismatch(role as SchemaRole, JSON.stringify(schema, null, 2)), undefined);
    }
  });

  describe('hand-made cases', () => {
    const field = (extra: Record<string, unknown>) => JSON.stringify({ ...validInputSchema, properties: { f: { title: 'F', description: 'd', ...extra } } });
    const cases: [string, string][] = [
      ['boolean with textarea', field({ type: 'boolean', editor: 'textarea' })],
      ['string without editor', field({ type: 'string' })],
      ['secret with default', field({ type: 'string', editor: 'textfield', isSecret: true, default: 'x' })],
      ['secret javascript', field({ type: 'string', editor: 'javascript', isSecret: true })],
      ['dateType without datepicker', field({ type: 'string', editor: 'textfield', dateType: 'absolute' })],
      ['select without enum', field({ type: 'string', editor: 'select' })],
      ['select with suggestions', field({ type: 'string', editor: 'select', enumSuggestedValues: ['a'] })],
      ['null default', field({ type: 'integer', default: null })],
      ['nullable null default', field({ type: 'integer', nullable: true, default: null })],
      ['invalid regex', field({ type: 'string', editor: 'textfield', pattern: '([a-z' })],
      ['patternKey', field({ type: 'object', editor: 'json', patternKey: '^a' })],
      ['array with enum', field({ type: 'array', editor: 'json', enum: ['a'] })],
      ['resource with default and permissions', field({ type: 'string', resourceType: 'dataset', resourcePermissions: ['READ'], default: 'x' })],
      ['resource permissions without READ', field({ type: 'string', resourceType: 'dataset', resourcePermissions: ['WRITE'] })],
      ['mcp without servers', field({ type: 'string', resourceType: 'mcpConnector' })],
      ['select array without items', field({ type: 'array', editor: 'select' })],
      ['select array with both', field({ type: 'array', editor: 'select', items: { type: 'string', enum: ['a'], enumSuggestedValues: ['b'] } })],
      ['keyValue items without titles', field({ type: 'array', editor: 'keyValue', items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } } } })],
      ['proxy sub-field without title', field({ type: 'object', editor: 'proxy', properties: { useApifyProxy: { type: 'boolean' } } })],
      ['sub-field schemaBased', field({ type: 'object', editor: 'json', properties: { a: { type: 'array', title: 'A', description: 'a', editor: 'schemaBased' } } })],
      ['sub-field section caption', field({ type: 'object', editor: 'json', properties: { a: { type: 'string', title: 'A', description: 'a', sectionCaption: 'x' } } })],
      ['unit on string', field({ type: 'string', editor: 'textfield', unit: 'x' })],
      ['errorMessage unknown keyword', field({ type: 'string', editor: 'textfield', errorMessage: { foo: 'x' } })],
      ['type list', field({ type: ['string', 'integer'], editor: 'json' })],
      ['unknown type', field({ type: 'date' })],
      ['missing type', field({ editor: 'json' })],
      ['prefill null', field({ type: 'string', editor: 'textfield', prefill: null })],
      ['actorInputSchemaVersion', JSON.stringify({ ...validInputSchema, schemaVersion: undefined, actorInputSchemaVersion: 1 })],
      ['required missing field', JSON.stringify({ ...validInputSchema, required: ['nope'] })],
      ['required constructor', JSON.stringify({ ...validInputSchema, required: ['constructor'] })],
      ['properties is a number', JSON.stringify({ ...validInputSchema, properties: 5 })],
      ['field is a string', JSON.stringify({ ...validInputSchema, properties: { a: 'x' } })],
      ['trailing comma', '{"title": "x", "type": "object", "schemaVersion": 1, "properties": {},}'],
      ['comment', '{"title": "x", // c\n "type": "object", "schemaVersion": 1, "properties": {}}'],
      ['empty', ''],
      ['array root', '[]'],
    ];
    for (const [name, text] of cases) {
      it(name, () => assert.equal(parityMismatch('input', text), undefined));
    }
  });

  describe('generated mutations (fast-check, fixed seed)', () => {
    type Mutation = { path: string[]; op: 'delete' | 'set' | 'addKey'; value?: unknown; key?: string };
    const pathsOf = (value: unknown, prefix: string[] = []): string[][] => {
      if (typeof value !== 'object' || value === null) return [prefix];
      const entries = Object.entries(value as Record<string, unknown>);
      return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
    };
    const interestingValues = fc.oneof(
      fc.constantFrom(null, 5, -1, 1.5, 0, true, false, '', 'x', [], {}, ['a', 'a'], ['READ'], { type: 'string' }),
      fc.constantFrom('textfield', 'textarea', 'select', 'checkbox', 'number', 'json', 'hidden', 'proxy', 'keyValue', 'stringList', 'datepicker', 'schemaBased', 'resourcePicker', 'javascript', 'requestListSources', 'globs', 'fileupload'),
      fc.constantFrom('string', 'integer', 'number', 'boolean', 'object', 'array', ['string', 'null'], 'dataset', 'mcpConnector', '([', '^ok$'),
    );
    const keys = fc.constantFrom('editor', 'default', 'prefill', 'example', 'nullable', 'isSecret', 'enum', 'enumTitles', 'enumSuggestedValues', 'pattern', 'minimum', 'maximum', 'unit', 'items', 'properties', 'resourceType', 'resourcePermissions', 'dateType', 'sectionCaption', 'groupCaption', 'unknownKey', 'titel', 'patternKey', 'required', 'errorMessage', 'minItems', 'type', 'title', 'description', 'mcpServers', 'key', 'keyPrefix', 'contentTypes', 'jsonSchema', 'template', 'views', 'fields', 'display', 'transformation');

    const mutate = (seed: unknown, mutations: Mutation[]): unknown => {
      const copy = structuredClone(seed) as Record<string, unknown>;
      for (const mutation of mutations) {
        let parent: Record<string, unknown> = copy;
        const keysToParent = mutation.path.slice(0, -1);
        let ok = true;
        for (const key of keysToParent) {
          const next = parent[key];
          if (typeof next !== 'object' || next === null) { ok = false; break; }
          parent = next as Record<string, unknown>;
        }
        const last = mutation.path[mutation.path.length - 1];
        if (!ok) continue;
        if (mutation.op === 'delete' && last !== undefined) delete parent[last];
        else if (mutation.op === 'set' && last !== undefined) parent[last] = mutation.value;
        else if (mutation.op === 'addKey') {
          const target = last === undefined ? parent : parent[last];
          if (typeof target === 'object' && target !== null && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key!] = mutation.value;
        }
      }
      return copy;
    };

    // The official input validator takes ~100 ms per call, so input seeds are single-field schemas with fewer runs.
    const inputSeeds = Object.entries(validInputSchema.properties).map(([key, field]) => ({ ...validInputSchema, properties: { [key]: field }, required: [] }));
    const runs: [SchemaRole, unknown[], number][] = [
      ['input', inputSeeds, 1500],
      ['dataset', [validDatasetSchema], 1000],
      ['output', [validOutputSchema], 1000],
      ['keyValueStore', [validKeyValueStoreSchema], 1000],
    ];
    for (const [role, roleSeeds, numRuns] of runs) {
      it(`${role} schema: official accepts ⇔ zero errors (${numRuns} mutations)`, function () {
        const cases = fc.constantFrom(...roleSeeds).chain((seed) => fc.tuple(fc.constant(seed), fc.array(fc.record({
          path: fc.constantFrom(...pathsOf(seed)),
          op: fc.constantFrom<'delete' | 'set' | 'addKey'>('delete', 'set', 'addKey'),
          value: interestingValues,
          key: keys,
        }), { minLength: 1, maxLength: 3 })));
        fc.assert(
          fc.property(cases, ([seed, mutations]) => {
            const text = JSON.stringify(mutate(seed, mutations as Mutation[]), null, 2);
            const mismatch = parityMismatch(role, text);
            if (mismatch) throw new Error(mismatch);
          }),
          { seed: 20240611, numRuns },
        );
      });
    }
  });

  describe('corpus of real Actors', function () {
    const indexFile = path.join(CORPUS, 'INDEX.json');
    if (!fs.existsSync(indexFile)) {
      it.skip(`corpus not found at ${CORPUS}`);
      return;
    }
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { actorRoot: string }[];
    const schemaRoles = new Set(['input', 'output', 'dataset', 'keyValueStore', 'webServer']);

    it(`every schema file of ${index.length} Actors gets the platform's verdict`, function () {
      const mismatches: string[] = [];
      let checked = 0;
      for (const { actorRoot } of index) {
        const root = path.join(CORPUS, actorRoot);
        const { diagnostics, files } = new ActorValidator(diskFileSource).validateActor(root, { warnings: 'none' });
        for (const file of files) {
          const role = file.role === 'actor' ? 'actor' : file.role;
          if (!schemaRoles.has(role) && role !== 'actor') continue;
          checked++;
          const official = officialVerdict(role as SchemaRole | 'actor', fs.readFileSync(file.path, 'utf8'));
          // The corpus leaves Dockerfiles out (OMITTED-DOCKERFILES.json): a missing one is expected, parity is about definitions.
          const errors = errorsOf(diagnostics).filter((d) => d.file === file.path && d.code !== 'actor/missing-dockerfile');
          if ((official === true) !== (errors.length === 0)) mismatches.push(`${file.path}: official ${official}, ours ${errors.map((e) => e.message).join(' | ')}`);
        }
      }
      assert.ok(checked > 100, `only ${checked} files checked`);
      assert.deepEqual(mismatches, []);
    });
  });
});
