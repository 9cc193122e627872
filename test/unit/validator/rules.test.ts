/** One test per rule: the code, the severity and the exact range of each diagnostic. */
import * as assert from 'node:assert/strict';
import { Diagnostic, validateDocument } from '../../../src/validator';
import { keysAfterTransformation } from '../../../src/validator/datasetSchema';
import { errorsOf, find } from './helpers';

const FILE = '/actor/.actor/schema.json';

/** An input schema whose `properties` hold `fields`, pretty-printed so lines are predictable. */
function inputSchema(fields: Record<string, unknown>, root: Record<string, unknown> = {}): string {
  return JSON.stringify({ title: 'T', type: 'object', schemaVersion: 1, ...root, properties: fields }, null, 2);
}

function at(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

/** Range of the first occurrence of `needle` in `text` (0-based line:character). */
function rangeOf(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  const position = (end: number) => {
    const lines = text.slice(0, end).split('\n');
    return `${lines.length - 1}:${lines[lines.length - 1].length}`;
  };
  return `${position(offset)}-${position(offset + needle.length)}`;
}

function check(role: 'input' | 'dataset' | 'output' | 'keyValueStore' | 'webServer', text: string, code: string, needle: string, severity = 'error'): Diagnostic {
  const diagnostic = find(validateDocument(FILE, text, role), code);
  assert.equal(diagnostic.severity, severity);
  assert.equal(at(diagnostic), rangeOf(text, needle), `${code}: ${diagnostic.message}`);
  assert.equal(diagnostic.file, FILE);
  return diagnostic;
}

const field = (extra: Record<string, unknown>) => ({ f: { title: 'F', description: 'D', ...extra } });

describe('validator rules', () => {
  describe('JSON syntax', () => {
    it('flags a comment at its range, with a fix', () => {
      const text = '{\n  // note\n  "a": 1\n}';
      const diagnostic = check('input', text, 'json/comment', '// note');
      assert.equal(diagnostic.fixes?.[0].title, 'Remove the comment');
    });
    it('flags a trailing comma at the comma', () => {
      const text = '{\n  "a": 1,\n}';
      check('input', text, 'json/trailing-comma', ',');
      assert.equal(errorsOf(validateDocument(FILE, text, 'input')).filter((d) => d.code === 'json/trailing-comma').length, 1);
    });
    it('flags an empty file', () => check('input', '', 'json/empty', ''));
    it('flags other syntax errors', () => check('input', '{\n  "a" 1\n}', 'json/syntax', '1'));
    it('a file that is not JSON gets three syntax errors, the last saying how many more follow', () => {
      const text = "{ name: 'my-actor', version: '0.1', list: [1, 2, 3], other: { x: 1, y: 2 } }";
      const syntax = validateDocument(FILE, text, 'input').filter((d) => d.code === 'json/syntax');
      assert.equal(syntax.length, 3);
      assert.match(syntax[2].message, / 20 more syntax errors follow; fix these first\.$/);
      assert.ok(syntax.every((d, index) => index === 0 || d.range.start.line >= syntax[index - 1].range.start.line));
    });
    it('keeps every comment (each with its fix) beyond the cap', () => {
      const text = `{\n${Array.from({ length: 5 }, (_, index) => `  // note ${index}\n`).join('')}  "a": 1\n}`;
      assert.equal(validateDocument(FILE, text, 'input').filter((d) => d.code === 'json/comment').length, 5);
    });
  });

  describe('input schema', () => {
    it('editor that does not fit the type: one error, one fix per allowed editor', () => {
      const text = inputSchema(field({ type: 'boolean', editor: 'textarea' }));
      const diagnostic = check('input', text, 'input-schema/editor-type-mismatch', '"textarea"');
      assert.equal(diagnostic.message, 'editor "textarea" can\'t be used with type boolean: use checkbox or hidden.');
      assert.deepEqual(diagnostic.fixes?.map((fix) => [fix.title, fix.preferred]), [['Use editor "checkbox"', true], ['Use editor "hidden"', false]]);
      assert.equal(errorsOf(validateDocument(FILE, text, 'input')).length, 1);
    });
    it('secret string with a code editor names the secret editors', () => {
      const diagnostic = check('input', inputSchema(field({ type: 'string', editor: 'javascript', isSecret: true })), 'input-schema/editor-type-mismatch', '"javascript"');
      assert.match(diagnostic.message, /secret field of type string: use textfield, textarea or hidden/);
    });
    it('missing title and description: errors at the field key with insert fixes', () => {
      const text = inputSchema({ f: { type: 'integer' } });
      const title = check('input', text, 'input-schema/missing-title', '"f"');
      check('input', text, 'input-schema/missing-description', '"f"');
      const edit = title.fixes?.[0].changes[0];
      assert.equal(edit?.kind === 'edit' && edit.newText.startsWith('"title": "F"'), true);
    });
    it('missing editor where the type requires one', () => {
      const diagnostic = check('input', inputSchema(field({ type: 'string' })), 'input-schema/missing-editor', '"f"');
      assert.equal(diagnostic.fixes?.[0].title, 'Add editor "textfield"');
    });
    it('actorInputSchemaVersion with a rename fix', () => {
      const text = JSON.stringify({ title: 'T', type: 'object', actorInputSchemaVersion: 1, properties: {} }, null, 2);
      const diagnostic = check('input', text, 'input-schema/actor-input-schema-version', '"actorInputSchemaVersion"');
      assert.deepEqual(diagnostic.fixes?.[0].changes[0], { kind: 'edit', file: FILE, range: diagnostic.range, newText: '"schemaVersion"' });
      assert.deepEqual(errorsOf(validateDocument(FILE, text, 'input')).map((d) => d.code), ['input-schema/actor-input-schema-version'], 'no second error for the missing schemaVersion');
    });
    it('unknown root key with a spelling fix', () => {
      const diagnostic = check('input', inputSchema({}, { descripton: 'x' }), 'input-schema/unknown-key', '"descripton"');
      assert.equal(diagnostic.fixes?.[0].title, 'Rename to "description"');
    });
    it('required name that is not a field', () => {
      check('input', inputSchema(field({ type: 'boolean' }), { required: ['missing'] }), 'input-schema/required-not-defined', '"missing"');
    });
    it('invalid regular expression', () => {
      check('input', inputSchema(field({ type: 'string', editor: 'textfield', pattern: '([a-z' })), 'input-schema/invalid-regex', '"([a-z"');
    });
    it('deprecated patternKey and patternValue: one error each, and only that', () => {
      check('input', inputSchema(field({ type: 'object', editor: 'json', patternKey: '^a' })), 'input-schema/deprecated-property', '"patternKey"');
      const text = inputSchema(field({ type: 'object', editor: 'json', patternKey: '^a', patternValue: '^b' }));
      assert.deepEqual(errorsOf(validateDocument(FILE, text, 'input')).map((d) => `${d.code} ${at(d)}`), [
        `input-schema/deprecated-property ${rangeOf(text, '"patternKey"')}`,
        `input-schema/deprecated-property ${rangeOf(text, '"patternValue"')}`,
      ]);
    });
    it('key not allowed for the type, at the key', () => {
      check('input', inputSchema(field({ type: 'string', editor: 'textfield', unit: 'x' })), 'input-schema/property-not-allowed', '"unit"');
    });
    it('dateType without the datepicker editor', () => {
      const diagnostic = check('input', inputSchema(field({ type: 'string', editor: 'textfield', dateType: 'absolute' })), 'input-schema/property-not-allowed', '"dateType"');
      assert.match(diagnostic.message, /datepicker/);
    });
    it('default on a secret field', () => {
      check('input', inputSchema(field({ type: 'string', editor: 'textfield', isSecret: true, default: 'x' })), 'input-schema/property-not-allowed', '"default"');
    });
    it('null default without nullable', () => {
      check('input', inputSchema(field({ type: 'integer', default: null })), 'input-schema/null-default', 'null');
    });
    it('default of the wrong type', () => {
      check('input', inputSchema(field({ type: 'integer', default: 'ten' })), 'input-schema/wrong-type', '"ten"');
    });
    it('unknown type and missing type', () => {
      const unknown = check('input', inputSchema(field({ type: 'date' })), 'input-schema/invalid-type', '"date"');
      assert.equal(unknown.fixes, undefined, 'no guess for a type that is no misspelling');
      const misspelled = check('input', inputSchema(field({ type: 'strng', editor: 'textfield' })), 'input-schema/invalid-type', '"strng"');
      assert.match(misspelled.message, /Did you mean "string"\?/);
      assert.deepEqual(misspelled.fixes?.[0].changes[0], { kind: 'edit', file: FILE, range: misspelled.range, newText: '"string"' });
      check('input', inputSchema({ f: { title: 'F', description: 'D' } }), 'input-schema/missing-type', '"f"');
    });
    it('field that is not an object', () => {
      check('input', inputSchema({ f: 'text' }), 'input-schema/field-not-object', '"text"');
    });
    it('select array items need enum or enumSuggestedValues', () => {
      check('input', inputSchema(field({ type: 'array', editor: 'select', items: { type: 'string' } })), 'input-schema/select-items', '{\n        "type": "string"\n      }');
    });
    it('string select without enum', () => {
      check('input', inputSchema(field({ type: 'string', editor: 'select' })), 'input-schema/select-without-values', '"select"');
    });
    it('resourcePermissions with a default, and without READ', () => {
      check('input', inputSchema(field({ type: 'string', resourceType: 'dataset', resourcePermissions: ['READ'], default: 'x' })), 'input-schema/resource-permissions-with-default', '"resourcePermissions"');
      check('input', inputSchema(field({ type: 'string', resourceType: 'dataset', resourcePermissions: ['WRITE'] })), 'input-schema/resource-permissions-read', '[\n        "WRITE"\n      ]');
    });
    it('sub-field problems point into the sub-field', () => {
      const text = inputSchema(field({ type: 'object', editor: 'json', properties: { depth: { type: 'integer', title: 'Depth', description: 'd', editor: 'checkbox' } } }));
      check('input', text, 'input-schema/editor-type-mismatch', '"checkbox"');
    });
    it('too large', () => {
      const big = inputSchema(field({ type: 'string', editor: 'textfield', description: 'x'.repeat(520 * 1024) }));
      check('input', big, 'input-schema/too-large', '{');
    });
    it('never throws on wrong types anywhere', () => {
      const numberProperties = JSON.stringify({ title: 'T', type: 'object', schemaVersion: 1, properties: 5 });
      for (const text of ['5', 'null', '"x"', numberProperties, inputSchema({ f: null }), inputSchema(field({ type: 'object', editor: 'json', properties: 'abc' })), inputSchema(field({ type: 'array', editor: 'json', items: 5 }))]) {
        const errors = errorsOf(validateDocument(FILE, text, 'input'));
        assert.ok(errors.length > 0 && errors.every((error) => error.code !== 'internal-error'), text);
      }
    });
    describe('likely mistakes (warnings)', () => {
      const warningCases: [string, Record<string, unknown>, string, string][] = [
        ['enumTitles length', { type: 'string', enum: ['a', 'b'], enumTitles: ['A'] }, 'input-schema/enum-titles-length', '"enumTitles"'],
        ['default not in enum', { type: 'string', enum: ['a'], default: 'b' }, 'input-schema/default-not-in-enum', '"default"'],
        ['minimum > maximum', { type: 'integer', minimum: 5, maximum: 1 }, 'input-schema/min-greater-than-max', '"minimum"'],
        ['select without items', { type: 'array', editor: 'select' }, 'input-schema/select-without-items', '"editor"'],
        ['storage without permissions', { type: 'string', resourceType: 'dataset' }, 'input-schema/missing-resource-permissions', '"resourceType"'],
      ];
      for (const [name, extra, code, needle] of warningCases) {
        it(name, () => check('input', inputSchema(field(extra)), code, needle, 'warning'));
      }
      it('default with required: an info that says what happens, not "remove one of them"', () => {
        const diagnostic = check('input', inputSchema(field({ type: 'integer', default: 1 }), { required: ['f'] }), 'input-schema/default-with-required', '"default"', 'info');
        assert.equal(diagnostic.message, 'Field "f" is required and has a default: a run started without it gets the default, so "required" never rejects an input; only the Console form still marks the field as required.');
      });
      it('warnings: none keeps only errors', () => {
        const diagnostics = validateDocument(FILE, inputSchema(field({ type: 'integer', minimum: 5, maximum: 1 })), 'input', { warnings: 'none' });
        assert.deepEqual(diagnostics, []);
      });
    });
  });

  describe('dataset schema', () => {
    const dataset = (views: unknown, fields: unknown = { type: 'object', properties: { a: { type: 'string' } } }) => JSON.stringify({ actorSpecification: 1, fields, views }, null, 2);
    it('display component must be table or grid', () => {
      check('dataset', dataset({ o: { title: 'O', display: { component: 'list' } } }), 'dataset-schema/invalid-value', '"list"');
    });
    it('view without title', () => {
      check('dataset', dataset({ o: { display: { component: 'table' } } }), 'dataset-schema/incomplete-view', '"o"');
    });
    it('needs fields or views', () => {
      check('dataset', JSON.stringify({ actorSpecification: 1 }), 'dataset-schema/missing-property', '{');
    });
    it('display property not produced, transformation field not described', () => {
      const text = dataset({ o: { title: 'O', transformation: { fields: ['a', 'zz'] }, display: { component: 'table', properties: { b: {} } } } });
      check('dataset', text, 'dataset-schema/display-property-not-produced', '"b"', 'warning');
      check('dataset', text, 'dataset-schema/unknown-transformation-field', '"zz"', 'warning');
    });
    it('unknown root key (the root is closed)', () => {
      check('dataset', JSON.stringify({ actorSpecification: 1, fields: {}, view: {} }, null, 2), 'dataset-schema/unknown-key', '"view"');
    });
    it('unknown root key far from any known one: the three closest keys, not all of them', () => {
      const diagnostic = check('dataset', JSON.stringify({ actorSpecification: 1, fields: {}, somethingElse: {} }, null, 2), 'dataset-schema/unknown-key', '"somethingElse"');
      assert.match(diagnostic.message, /^The key "somethingElse" is not allowed at the top level\. The closest known keys are "[^"]+", "[^"]+" and "[^"]+"\.$/);
    });
    const actionsFields = { type: 'object', properties: { url: { type: 'string' }, actions: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, at: { type: 'string' } } } }, owner: { type: 'object', properties: { name: { type: 'string' } } } } };
    it('unwind: the keys the unwound elements bring are known; a misspelt one names the keys after unwind', () => {
      const text = dataset({ o: { title: 'O', transformation: { unwind: ['actions'], fields: ['url', 'kind', 'at', 'knd'] } } }, actionsFields);
      const warnings = validateDocument(FILE, text, 'dataset').filter((d) => d.code === 'dataset-schema/unknown-transformation-field');
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].message, 'View "o" selects "knd", which is not a key of the items after the "unwind" of "actions" (as "fields" describes them). Did you mean "kind"?');
    });
    it('unwind of a field whose elements "fields" does not describe: no warning, nothing can be known', () => {
      const fields = { type: 'object', properties: { url: { type: 'string' }, actions: { type: 'array' } } };
      const text = dataset({ o: { title: 'O', transformation: { unwind: ['actions'], fields: ['url', 'kind', 'at', 'label'] } } }, fields);
      assert.deepEqual(validateDocument(FILE, text, 'dataset').filter((d) => d.code === 'dataset-schema/unknown-transformation-field'), []);
    });
    it('flatten: the advice names the flattened keys', () => {
      const text = dataset({ o: { title: 'O', transformation: { flatten: ['owner'], fields: ['nothingLikeIt'] } } }, actionsFields);
      const diagnostic = check('dataset', text, 'dataset-schema/unknown-transformation-field', '"nothingLikeIt"', 'warning');
      assert.match(diagnostic.message, /after the "flatten" of "owner" .* The closest keys are .*Check the spelling or describe the field in "fields"\.$/);
      assert.equal(keysAfterTransformation(actionsFields.properties, [], ['owner'])?.includes('owner.name'), true);
    });
    it('a plain JSON Schema of the items: one error telling to put it under "fields"', () => {
      const text = JSON.stringify({ actorSpecification: 1, type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, null, 2);
      const errors = errorsOf(validateDocument(FILE, text, 'dataset'));
      assert.deepEqual(errors.map((d) => d.code), ['dataset-schema/plain-json-schema']);
      check('dataset', text, 'dataset-schema/plain-json-schema', '"type"');
      assert.match(errors[0].message, /^This looks like a plain JSON Schema of the items \("type", "properties" and "required" at the top level\)\. A dataset schema holds it under "fields"/);
    });
  });

  describe('output schema', () => {
    it('property needs a template; type must be string', () => {
      const text = JSON.stringify({ actorOutputSchemaVersion: 1, properties: { a: { type: 'number' } } }, null, 2);
      check('output', text, 'output-schema/missing-property', '"a"');
      check('output', text, 'output-schema/invalid-value', '"number"');
    });
    it('unknown template variable is a warning', () => {
      const text = JSON.stringify({ actorOutputSchemaVersion: 1, properties: { a: { type: 'string', template: '{{links.nope}}' } } }, null, 2);
      check('output', text, 'output-schema/unknown-template-variable', '"{{links.nope}}"', 'warning');
    });
    it('a misspelt template variable: the intended one, with a fix', () => {
      const text = JSON.stringify({ actorOutputSchemaVersion: 1, properties: { a: { type: 'string', template: '{{links.containerUrl}}/docs' } } }, null, 2);
      const diagnostic = check('output', text, 'output-schema/unknown-template-variable', '"{{links.containerUrl}}/docs"', 'warning');
      assert.equal(diagnostic.message, 'Output "a" uses {{links.containerUrl}}, which is not a known template variable. Did you mean {{links.containerRunUrl}}?');
      const change = diagnostic.fixes?.[0].changes[0];
      assert.equal(change?.kind === 'edit' && change.newText, '"{{links.containerRunUrl}}/docs"');
    });
  });

  describe('key-value store schema', () => {
    it('collection needs exactly one of key or keyPrefix', () => {
      const text = JSON.stringify({ actorKeyValueStoreSchemaVersion: 1, title: 'T', collections: { c: { key: 'a', keyPrefix: 'b', contentTypes: ['x/y'] } } }, null, 2);
      check('keyValueStore', text, 'key-value-store-schema/key-or-prefix', '"c"');
    });
    it('jsonSchema forces application/json', () => {
      const text = JSON.stringify({ actorKeyValueStoreSchemaVersion: 1, title: 'T', collections: { c: { key: 'a', contentTypes: ['text/plain'], jsonSchema: {} } } }, null, 2);
      check('keyValueStore', text, 'key-value-store-schema/json-schema-content-type', '[\n        "text/plain"\n      ]');
    });
  });

  describe('web server schema', () => {
    it('needs an openapi key', () => check('webServer', '{\n  "paths": {}\n}', 'web-server-schema/missing-openapi', '{'));
  });
});
