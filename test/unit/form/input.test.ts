import * as assert from 'assert';
import { cleanInput, maskSecrets, prefillInput, SECRET_PLACEHOLDER, schemaKeys, splitSecrets } from '../../../src/form/input';
import { buildFormModel } from '../../../src/form/model';

const model = buildFormModel({
  title: 'T',
  type: 'object',
  schemaVersion: 1,
  properties: {
    a: { type: 'string', title: 'A', editor: 'textfield', prefill: 'x', default: 'd' },
    token: { type: 'string', title: 'Token', editor: 'textfield', isSecret: true, prefill: 'never-prefilled' },
    list: { type: 'array', title: 'L', editor: 'stringList', prefill: ['p'] },
    n: { type: 'integer', title: 'N', default: 3 },
  },
});

describe('form input', () => {
  it('starts from prefill, leaving defaults (applied at run time) and secrets out', () => {
    assert.deepStrictEqual(prefillInput(model), { a: 'x', list: ['p'] });
  });

  it('returns copies of prefill values, so editing the form never edits the model', () => {
    (prefillInput(model).list as string[]).push('changed');
    assert.deepStrictEqual(prefillInput(model).list, ['p']);
  });

  it('lists the keys the form owns', () => {
    assert.deepStrictEqual(schemaKeys(model), ['a', 'token', 'list', 'n']);
  });

  it('drops emptied editors but keeps false, 0 and empty lists', () => {
    assert.deepStrictEqual(cleanInput({ a: '', b: undefined, c: false, d: 0, e: [] }), { c: false, d: 0, e: [] });
  });

  it('splits secrets off and masks them in what is shown or copied', () => {
    const input = { a: 'x', token: 's3cr3t', n: 1 };
    assert.deepStrictEqual(splitSecrets(model, input), { publicInput: { a: 'x', n: 1 }, secrets: { token: 's3cr3t' } });
    const masked = maskSecrets(model, input);
    assert.deepStrictEqual(masked, { a: 'x', token: SECRET_PLACEHOLDER, n: 1 });
    assert.deepStrictEqual(Object.keys(masked), ['a', 'token', 'n']);
  });
});
