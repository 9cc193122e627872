import * as assert from 'assert';
import { updateInputJsonText } from '../../../src/form/inputJson';

describe('INPUT.json writer', () => {
  it('creates a pretty-printed file when there is none', () => {
    assert.strictEqual(updateInputJsonText(undefined, { a: 1, b: ['x'] }, ['a', 'b']), '{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}\n');
  });

  it('sets and removes only the form\'s keys, keeping unknown keys, their order and the file\'s indentation', () => {
    const existing = '{\n    "mine": true,\n    "a": 1,\n    "b": "gone",\n    "zz": [1,2]\n}\n';
    const updated = updateInputJsonText(existing, { a: 2, c: 'new' }, ['a', 'b', 'c']);
    assert.deepStrictEqual(JSON.parse(updated), { mine: true, a: 2, zz: [1, 2], c: 'new' });
    assert.ok(updated.startsWith('{\n    "mine": true,\n    "a": 2,'), updated);
    assert.ok(updated.includes('"zz": [1,2]'), 'an unknown key\'s own formatting changed');
  });

  it('leaves the text untouched when nothing changed', () => {
    const existing = '{ "a": 1,   "keep": {"x": 1} }';
    assert.strictEqual(updateInputJsonText(existing, { a: 1 }, ['a', 'b']), existing);
  });

  it('keeps tabs and CRLF line breaks', () => {
    const updated = updateInputJsonText('{\r\n\t"a": 1\r\n}', { a: 1, b: 2 }, ['a', 'b']);
    assert.strictEqual(updated, '{\r\n\t"a": 1,\r\n\t"b": 2\r\n}');
  });

  it('replaces a file that is not a JSON object', () => {
    assert.strictEqual(updateInputJsonText('[1, 2', { a: 1 }, ['a']), '{\n  "a": 1\n}\n');
    assert.strictEqual(updateInputJsonText('"text"', { a: 1 }, ['a']), '{\n  "a": 1\n}\n');
  });
});
