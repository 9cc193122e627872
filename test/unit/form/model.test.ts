import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildFormModel, formFields } from '../../../src/form/model';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const readSchema = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
const EVERY_EDITOR = 'test/unit/form/fixtures/every-editor.input_schema.json';

describe('form model', () => {
  it('builds the example Actor\'s form: fields in order, sections, required, prefill and default', () => {
    const model = buildFormModel(readSchema('examples/hello-actor/.actor/input_schema.json'));
    assert.strictEqual(model.title, 'Hello Actor input');
    assert.deepStrictEqual(
      model.sections.map((section) => [section.caption, section.fields.map((field) => field.key)]),
      [
        [undefined, ['names', 'greeting', 'signature']],
        ['Advanced', ['repeat', 'shout', 'notBefore', 'extra']],
      ],
    );
    const [names, greeting] = formFields(model);
    assert.strictEqual(names.required, true);
    assert.deepStrictEqual(names.prefill, ['Ada', 'Linus']);
    assert.strictEqual(greeting.placeholder, 'Hello');
    assert.deepStrictEqual(greeting.options?.[1], { value: 'Hi', title: 'Hi (casual)' });
    assert.strictEqual(greeting.allowCustom, false);
    assert.strictEqual(model.sections[1].description, 'Rarely needed tweaks.');
  });

  it('gives every field of the every-editor schema the editor it declares', () => {
    const schema = readSchema(EVERY_EDITOR);
    const fields = formFields(buildFormModel(schema));
    for (const field of fields) {
      const declared = schema.properties[field.key].editor;
      if (declared) assert.strictEqual(field.editor, declared, field.key);
    }
    const editors = new Set(fields.map((field) => field.editor));
    for (const editor of ['textfield', 'textarea', 'javascript', 'python', 'select', 'datepicker', 'fileupload', 'hidden',
      'number', 'checkbox', 'json', 'stringList', 'requestListSources', 'pseudoUrls', 'globs', 'keyValue', 'proxy',
      'schemaBased', 'resourcePicker']) {
      assert.ok(editors.has(editor as never), `no field uses ${editor}`);
    }
  });

  it('falls back to the type\'s usual editor when none is declared', () => {
    const fields = formFields(buildFormModel({
      properties: {
        n: { type: 'integer', title: 'N' },
        b: { type: 'boolean', title: 'B' },
        e: { type: 'string', title: 'E', enum: ['a'] },
        r: { type: 'string', title: 'R', resourceType: 'keyValueStore' },
        m: { type: ['string', 'null'], title: 'M' },
        s: { type: 'string', title: 'S', editor: 'no-such-editor' },
      },
    }));
    assert.deepStrictEqual(fields.map((field) => field.editor), ['number', 'checkbox', 'select', 'resourcePicker', 'json', 'textfield']);
    assert.strictEqual(fields[0].integer, true);
    assert.strictEqual(fields[3].resourceType, 'keyValueStore');
  });

  it('reads select options from items on arrays, and allows free text only with enumSuggestedValues', () => {
    const fields = formFields(buildFormModel(readSchema(EVERY_EDITOR)));
    const tags = fields.find((field) => field.key === 'tags')!;
    assert.strictEqual(tags.multiple, true);
    assert.deepStrictEqual(tags.options?.map((option) => option.title), ['New', 'On sale', 'Top rated']);
    const language = fields.find((field) => field.key === 'language')!;
    assert.strictEqual(language.allowCustom, true);
    assert.deepStrictEqual(language.options, [{ value: 'en', title: 'en' }, { value: 'cs', title: 'cs' }]);
  });

  it('nests schemaBased sub-forms for objects and arrays of objects', () => {
    const fields = formFields(buildFormModel(readSchema(EVERY_EDITOR)));
    const login = fields.find((field) => field.key === 'login')!;
    assert.strictEqual(login.itemsOfArray, false);
    assert.deepStrictEqual(login.fields?.map((field) => [field.key, field.editor, field.required]), [['user', 'textfield', true], ['remember', 'checkbox', false]]);
    const filters = fields.find((field) => field.key === 'filters')!;
    assert.strictEqual(filters.itemsOfArray, true);
    assert.deepStrictEqual(filters.fields?.map((field) => field.key), ['field', 'min']);
  });

  it('keeps number limits, unit, date type, checkbox group and secrets', () => {
    const fields = formFields(buildFormModel(readSchema(EVERY_EDITOR)));
    const byKey = (key: string) => fields.find((field) => field.key === key)!;
    assert.deepStrictEqual([byKey('maxPages').minimum, byKey('maxPages').maximum, byKey('maxPages').unit], [1, 1000, 'pages']);
    assert.deepStrictEqual(['since', 'window', 'until'].map((key) => byKey(key).dateType), ['absolute', 'relative', 'absoluteOrRelative']);
    assert.strictEqual(byKey('debug').groupCaption, 'Options');
    assert.strictEqual(byKey('apiKey').secret, true);
    assert.strictEqual(byKey('headers').placeholderKey, 'Header');
    assert.strictEqual(byKey('custom').placeholder, undefined);
    assert.strictEqual(byKey('headless').placeholder, 'true');
  });

  it('yields a usable empty form for a schema that is still being typed', () => {
    for (const broken of [undefined, null, 42, [], {}, { properties: null }, { properties: { a: null } }]) {
      const model = buildFormModel(broken);
      assert.ok(Array.isArray(model.sections));
    }
    assert.strictEqual(formFields(buildFormModel({ properties: { a: null } }))[0].editor, 'textfield');
  });

  it('keeps an empty captioned section, which the platform still shows', () => {
    const model = buildFormModel({ properties: { a: { type: 'string', title: 'A', sectionCaption: 'One' }, b: { type: 'string', title: 'B', sectionCaption: 'Two' } } });
    assert.deepStrictEqual(model.sections.map((section) => section.caption), ['One', 'Two']);
  });
});
