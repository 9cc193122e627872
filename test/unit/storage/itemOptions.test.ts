// The platform's item options (fields, omit, unwind, flatten, clean, skipHidden, skipEmpty, desc, offset, limit) as the
// local API, `greenroom items` and the viewer's export read them: their text, how they go over a view, and the rows a
// read with them makes of datasets written in both SDK dialects.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { datasetRows, DatasetView, effectiveOptions, ItemOptionName, itemsWindow, parseItemOptions } from '../../../src/storage/datasetViews';
import { StorageReader } from '../../../src/storage/storages';

const ITEMS = [
  { name: 'Ada', tags: ['math', 'code'], address: { city: 'London', zip: 'N1' }, '#debug': 1 },
  { name: 'Linus', tags: ['kernel'], address: { city: 'Helsinki' }, '#debug': 2 },
  { name: 'Grace', tags: [], address: { city: 'Arlington' }, '#debug': 3 },
  { '#debug': 4 },
  { name: 'Alan', tags: [{ tag: 'enigma', year: 1939 }, { tag: 'turing', year: 1936 }], address: 'Bletchley' },
];

/** A dataset as each SDK writes it: the JS SDK tab-indented items only; the Python SDK 2-space items plus its __metadata__.json. */
const DIALECTS: Record<string, (dir: string) => void> = {
  'the JS SDK': (dir) => ITEMS.forEach((item, i) => fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(9, '0')}.json`), JSON.stringify(item, null, '\t'))),
  'the Python SDK': (dir) => {
    ITEMS.forEach((item, i) => fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(9, '0')}.json`), JSON.stringify(item, null, 2)));
    const now = new Date().toISOString();
    fs.writeFileSync(path.join(dir, '__metadata__.json'), JSON.stringify({ id: 'default', name: null, item_count: ITEMS.length, created_at: now, accessed_at: now, modified_at: now }));
  },
};

function read(name: ItemOptionName, texts: Record<string, string | boolean>) {
  return texts[name];
}

describe('dataset item options: reading them', () => {
  it('reads lists comma-separated (trimmed, empty parts left out), flags as the API does, counts as whole numbers', () => {
    const texts = { fields: ' name, address ,', omit: '#debug', unwind: 'tags,address', flatten: '', clean: 'true', skipHidden: '0', skipEmpty: true, desc: '1', offset: '2', limit: '10' };
    assert.deepEqual(parseItemOptions((name) => read(name, texts)), {
      fields: ['name', 'address'],
      omit: ['#debug'],
      unwind: ['tags', 'address'],
      clean: true,
      skipHidden: false,
      skipEmpty: true,
      desc: true,
      offset: 2,
      limit: 10,
    });
  });

  it('leaves out what is not given (undefined or empty text); a limit of 0 is no limit', () => {
    assert.deepEqual(parseItemOptions(() => undefined), {});
    assert.deepEqual(parseItemOptions((name) => read(name, { fields: ' , ', offset: '', limit: '0' })), {});
  });

  it('refuses a bad value naming the option as the caller calls it', () => {
    const label = (name: ItemOptionName) => `--${name}`;
    assert.throws(() => parseItemOptions((name) => read(name, { offset: '-1' }), label), /^Error: --offset must be a whole number ≥ 0, got "-1"$/);
    assert.throws(() => parseItemOptions((name) => read(name, { limit: '2.5' }), label), /--limit must be a whole number ≥ 0, got "2\.5"/);
    assert.throws(() => parseItemOptions((name) => read(name, { limit: '1e3' })), /limit must be a whole number/);
    assert.throws(() => parseItemOptions((name) => read(name, { limit: '99999999999999999999' })), /limit must be a whole number/);
    assert.throws(() => parseItemOptions((name) => read(name, { desc: 'yes' }), label), /--desc must be true, false, 1 or 0, got "yes"/);
    assert.throws(() => parseItemOptions((name) => read(name, { fields: true }), label), /--fields needs a comma-separated list/);
  });
});

describe('dataset item options: over a view', () => {
  const view: DatasetView = { id: 'v', title: 'V', component: 'table', properties: {}, transformation: { fields: ['name'], desc: true, limit: 3 } };

  it('an option given wins over the view\'s; the smaller limit counts', () => {
    assert.deepEqual(effectiveOptions(view, { fields: ['tags'], desc: false, limit: 5, offset: 1 }), { fields: ['tags'], desc: false, limit: 3, offset: 1 });
    assert.deepEqual(effectiveOptions(view, { limit: 2 }), { fields: ['name'], desc: true, limit: 2 });
    assert.deepEqual(effectiveOptions(undefined, { limit: 2 }), { limit: 2 });
  });

  it('the window counts stored items from the offset, cut at the end', () => {
    assert.deepEqual(itemsWindow({ offset: 3, limit: 10 }, 5), { offset: 3, limit: 10, desc: false, count: 2 });
    assert.deepEqual(itemsWindow({ desc: true }, 5), { offset: 0, limit: undefined, desc: true, count: 5 });
    assert.deepEqual(itemsWindow({ offset: 9 }, 5), { offset: 9, limit: undefined, desc: false, count: 0 });
  });
});

for (const [dialect, write] of Object.entries(DIALECTS)) {
  describe(`dataset item options: rows of a dataset written by ${dialect}`, () => {
    let storageDir: string;
    const rows = (options: Parameters<typeof datasetRows>[3], view?: DatasetView) => [...datasetRows(new StorageReader(storageDir), 'default', view, options)()];

    before(() => {
      storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-item-options-'));
      const dir = path.join(storageDir, 'datasets', 'default');
      fs.mkdirSync(dir, { recursive: true });
      write(dir);
    });
    after(() => fs.rmSync(storageDir, { recursive: true, force: true }));

    it('gives the items unchanged without options, and with only offset, limit and desc', () => {
      assert.deepEqual(rows({}), ITEMS);
      assert.deepEqual(rows({ offset: 1, limit: 2 }), ITEMS.slice(1, 3));
      assert.deepEqual(rows({ desc: true, offset: 1, limit: 2 }), [ITEMS[3], ITEMS[2]]);
    });

    it('fields picks and orders; omit removes', () => {
      assert.deepEqual(rows({ fields: ['address', 'name'], limit: 1 }), [{ address: { city: 'London', zip: 'N1' }, name: 'Ada' }]);
      assert.deepEqual(rows({ omit: ['tags', 'address', '#debug'], limit: 2 }), [{ name: 'Ada' }, { name: 'Linus' }]);
    });

    it('unwind: an array gives one row per element (objects merged in its place), an empty array none; an object is merged; anything else stays', () => {
      assert.deepEqual(rows({ unwind: ['tags'], fields: ['name', 'tags', 'tag', 'year'] }), [
        { name: 'Ada', tags: 'math' },
        { name: 'Ada', tags: 'code' },
        { name: 'Linus', tags: 'kernel' },
        {},
        { name: 'Alan', tag: 'enigma', year: 1939 },
        { name: 'Alan', tag: 'turing', year: 1936 },
      ]);
      assert.deepEqual(rows({ unwind: ['address'], omit: ['tags', '#debug'], limit: 2 }), [
        { name: 'Ada', city: 'London', zip: 'N1' },
        { name: 'Linus', city: 'Helsinki' },
      ]);
      assert.deepEqual(rows({ unwind: ['address'], fields: ['address'], offset: 4 }), [{ address: 'Bletchley' }]);
    });

    it('unwind takes several fields, in the order given', () => {
      assert.deepEqual(rows({ unwind: ['address', 'tags'], fields: ['city', 'tags'], limit: 2 }), [
        { city: 'London', tags: 'math' },
        { city: 'London', tags: 'code' },
        { city: 'Helsinki', tags: 'kernel' },
      ]);
    });

    it('clean drops hidden fields and the items left empty (skipHidden + skipEmpty)', () => {
      const clean = rows({ clean: true, omit: ['tags', 'address'] });
      assert.deepEqual(clean, [{ name: 'Ada' }, { name: 'Linus' }, { name: 'Grace' }, { name: 'Alan' }]);
      assert.deepEqual(rows({ skipHidden: true, skipEmpty: true, omit: ['tags', 'address'] }), clean);
      assert.deepEqual(rows({ skipHidden: true, fields: ['#debug'], limit: 2 }), [{}, {}]);
      assert.deepEqual(rows({ skipEmpty: true, fields: ['#debug'], offset: 3 }), [{ '#debug': 4 }]);
    });

    it('offset and limit choose stored items before unwinding and skipping; desc reverses the items, not the rows one item unwinds to', () => {
      // Items 2–3 from the end: Grace (no tags: no row) and the hidden-only item (skipped).
      assert.deepEqual(rows({ desc: true, offset: 1, limit: 2, unwind: ['tags'], clean: true }), []);
      assert.deepEqual(rows({ desc: true, limit: 1, unwind: ['tags'], fields: ['tag'] }), [{ tag: 'enigma' }, { tag: 'turing' }]);
      assert.deepEqual(rows({ desc: true, offset: 4, unwind: ['tags'], fields: ['tags'] }), [{ tags: 'math' }, { tags: 'code' }]);
    });

    it('flatten makes a.b fields that fields and omit can name', () => {
      assert.deepEqual(rows({ flatten: ['address'], fields: ['name', 'address.city'], limit: 2 }), [
        { name: 'Ada', 'address.city': 'London' },
        { name: 'Linus', 'address.city': 'Helsinki' },
      ]);
    });

    it('goes over a view: the options given win, the smaller limit counts', () => {
      const view: DatasetView = { id: 'v', title: 'V', component: 'table', properties: {}, transformation: { fields: ['name'], desc: true, limit: 2 } };
      assert.deepEqual(rows({}, view), [{ name: 'Alan' }, {}]);
      assert.deepEqual(rows({ desc: false, limit: 3, clean: true }, view), [{ name: 'Ada' }, { name: 'Linus' }]);
      assert.deepEqual(rows({ fields: ['tag', 'year'], unwind: ['tags'] }, view), [{ tag: 'enigma', year: 1939 }, { tag: 'turing', year: 1936 }, {}]);
    });
  });
}
