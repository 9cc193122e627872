import * as assert from 'assert';
import { inputJsonProblem, minimalTextChange, updateInputJsonText } from '../../../src/form/inputJson';

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

  it('changes only the edited value\'s text: the form\'s untouched values keep their formatting', () => {
    const existing = '{\n  "names": [ "Ada",\n    "Linus" ],\n  "repeat":2,\n  "shout" : false\n}\n';
    const updated = updateInputJsonText(existing, { names: ['Ada', 'Linus'], repeat: 3, shout: false }, ['names', 'repeat', 'shout']);
    assert.strictEqual(updated, existing.replace('"repeat":2', '"repeat":3'));
    assert.deepStrictEqual(minimalTextChange(existing, updated), { offset: existing.indexOf('2,'), length: 1, text: '3' });
  });
});

describe('INPUT.json text change', () => {
  it('is the one replacement between the common start and end', () => {
    assert.deepStrictEqual(minimalTextChange('{"a": "xy"}', '{"a": "xzy"}'), { offset: 8, length: 0, text: 'z' });
    assert.deepStrictEqual(minimalTextChange('{"a": 11}', '{"a": 1}'), { offset: 7, length: 1, text: '' });
    assert.deepStrictEqual(minimalTextChange('', '{}'), { offset: 0, length: 0, text: '{}' });
    assert.strictEqual(minimalTextChange('{}', '{}'), undefined);
  });

  it('says why text the form cannot write into is refused, and accepts an object or nothing', () => {
    assert.strictEqual(inputJsonProblem('{ "a": 1 }'), undefined);
    assert.strictEqual(inputJsonProblem('  \n'), undefined);
    assert.strictEqual(inputJsonProblem('[1]'), 'is not a JSON object');
    assert.match(inputJsonProblem('{\n  "a": 1,\n  "b"\n}')!, /^does not parse as JSON \(ColonExpected at line 4, column 1\)$/);
  });
});
