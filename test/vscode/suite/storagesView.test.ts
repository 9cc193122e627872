// The Storages view in the real VS Code: a dataset and a key-value store this suite writes into the shared storage
// show their counts and when they last changed; the size (a walk over every file) is in the tooltip made on hover.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { shortTime } from '../../../src/engine/runName';
import { TEST_HOOKS, type DrawnItem } from '../../../src/extension/testHooks';
import { activateExtension, waitFor, workspaceRoot } from './helpers';

const storageItems = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.storagesView));

describe('Storages view', () => {
  let storageDir: string;
  const written = new Date('2026-03-04T05:06:07Z');
  const rewritten = new Date('2026-03-05T08:09:10Z');

  before(async () => {
    await activateExtension();
    storageDir = path.join(workspaceRoot().fsPath, 'storage');
  });
  after(() => {
    fs.rmSync(path.join(storageDir, 'datasets', 'tree-sizes'), { recursive: true, force: true });
    fs.rmSync(path.join(storageDir, 'key_value_stores', 'tree-sizes'), { recursive: true, force: true });
  });

  it('shows counts, sizes and modification times of storages', async () => {
    const datasetDir = path.join(storageDir, 'datasets', 'tree-sizes');
    fs.mkdirSync(datasetDir, { recursive: true });
    ['{"n":1}', '{"n":22}', '{"n":333}'].forEach((text, i) => {
      const file = path.join(datasetDir, `00000000${i + 1}.json`);
      fs.writeFileSync(file, text);
      fs.utimesSync(file, written, written);
    });
    fs.utimesSync(datasetDir, written, written);
    const storeDir = path.join(storageDir, 'key_value_stores', 'tree-sizes');
    fs.mkdirSync(storeDir, { recursive: true });
    fs.writeFileSync(path.join(storeDir, 'OUTPUT.json'), '{"done":true}');
    fs.writeFileSync(path.join(storeDir, 'page.html'), '<p>hi</p>');
    // A record rewritten in place: the store's folder keeps its older time, the record's is the store's.
    fs.utimesSync(path.join(storeDir, 'OUTPUT.json'), rewritten, rewritten);
    fs.utimesSync(path.join(storeDir, 'page.html'), written, written);
    fs.utimesSync(storeDir, written, written);

    const items = await waitFor('the new storages in the Storages view', async () => {
      const drawn = await storageItems();
      const dataset = drawn?.find((item) => item.label === 'tree-sizes' && item.parent === 'Datasets');
      const store = drawn?.find((item) => item.label === 'tree-sizes' && item.parent === 'Key-value stores');
      return dataset && store ? { dataset, store } : undefined;
    });
    assert.strictEqual(items.dataset.description, `3 items · ${shortTime(written.getTime())}`);
    assert.strictEqual(items.dataset.tooltip, `${datasetDir}\nSize: 24 B in 3 files\nModified: ${shortTime(written.getTime())}`);
    assert.strictEqual(items.store.description, `2 records · 22 B · ${shortTime(rewritten.getTime())}`);
    assert.strictEqual(items.store.tooltip, `${storeDir}\nSize: 22 B in 2 files\nModified: ${shortTime(rewritten.getTime())}`);
  });
});
