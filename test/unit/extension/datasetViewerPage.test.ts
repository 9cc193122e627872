// What the dataset viewer's webview gets for a page: cell texts, URLs only when safe, errors across the row.
import * as assert from 'assert';
import type { ViewPage } from '../../../src/storage/datasetViews';
import { DETAIL_MAX_CHARS, isWebUrl, shownCell, shownPage } from '../../../src/extension/datasetViewer/shownPage';

describe('dataset viewer page', () => {
  it('renders cells by format and keeps only web links and web or data images', () => {
    assert.deepStrictEqual(shownCell('https://example.com/a', { key: 'u', label: 'U', format: 'link' }), { text: 'https://example.com/a', href: 'https://example.com/a' });
    assert.deepStrictEqual(shownCell('javascript:alert(1)', { key: 'u', label: 'U', format: 'link' }), { text: 'javascript:alert(1)' });
    assert.deepStrictEqual(shownCell('command:workbench.action.quit', { key: 'u', label: 'U', format: 'link' }), { text: 'command:workbench.action.quit' });
    assert.strictEqual(shownCell('data:image/png;base64,AAAA', { key: 'i', label: 'I', format: 'image' }).src, 'data:image/png;base64,AAAA');
    assert.strictEqual(shownCell('data:text/html,<b>x</b>', { key: 'i', label: 'I', format: 'image' }).src, undefined);
    assert.strictEqual(shownCell('file:///etc/passwd', { key: 'i', label: 'I', format: 'image' }).src, undefined);
    assert.deepStrictEqual(shownCell(1234.5, { key: 'n', label: 'N', format: 'number' }), { text: '1,234.5' });
    assert.deepStrictEqual(shownCell(undefined, { key: 'n', label: 'N', format: 'text' }), { text: '' });
  });

  it('gives arrays and objects their full value, capped', () => {
    const cell = shownCell({ a: [1, 2] }, { key: 'o', label: 'O', format: 'object' });
    assert.strictEqual(cell.text, '{"a":[1,2]}');
    assert.strictEqual(cell.detail, JSON.stringify({ a: [1, 2] }, null, 2));
    const big = shownCell(Array.from({ length: 2000 }, (_, i) => `value ${i}`), { key: 'a', label: 'A', format: 'array' });
    assert.ok(big.detail!.length <= DETAIL_MAX_CHARS + 2 && big.detail!.endsWith('\n…'));
  });

  it('shows an unreadable item as an error row and leaves the model\'s #error column out', () => {
    const page: ViewPage = {
      total: 2,
      offset: 0,
      limit: 10,
      inferred: true,
      columns: [
        { key: 'name', label: 'name', format: 'text' },
        { key: '#error', label: '#error', format: 'text' },
      ],
      rows: [
        { itemIndex: 0, values: { name: 'Ada' } },
        { itemIndex: 1, values: { '#error': 'Item 2 (000000002.json) cannot be read: Unexpected end of JSON input' } },
      ],
    };
    const shown = shownPage(page, undefined);
    assert.strictEqual(shown.viewId, null);
    assert.strictEqual(shown.component, 'table');
    assert.deepStrictEqual(shown.columns.map((c) => c.key), ['name']);
    assert.deepStrictEqual(shown.rows, [
      { itemIndex: 0, cells: [{ text: 'Ada' }] },
      { itemIndex: 1, error: 'Item 2 (000000002.json) cannot be read: Unexpected end of JSON input', cells: [] },
    ]);
  });

  it('opens only http and https links externally', () => {
    assert.ok(isWebUrl('https://apify.com') && isWebUrl('HTTP://example.com/x'));
    assert.ok(!isWebUrl('file:///tmp/x') && !isWebUrl('vscode://x') && !isWebUrl('mailto:a@b.c') && !isWebUrl(' https://x'));
  });
});
