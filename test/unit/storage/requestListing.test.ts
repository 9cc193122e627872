// The request queue as the trees list it (URL, method, state, retries, last error) in both SDK dialects, a page at
// a time by position; record previews by content type; Save As streaming a record out (never through a link).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_PREVIEW_BYTES, recordPreview, requestQueueCounts, requestQueuePage, StorageFileError, storageOf } from '../../../src/storage';

describe('storage: request queue listing', () => {
  let storageDir: string;
  let queueDir: string;

  beforeEach(() => {
    storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-rq-'));
    queueDir = path.join(storageDir, 'request_queues', 'default');
    fs.mkdirSync(queueDir, { recursive: true });
  });

  afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

  /** A request file as Crawlee (JS) writes it: the whole request in `json`, orderNo null once handled. */
  function writeJsRequest(id: string, request: Record<string, unknown>, orderNo: number | null): void {
    const file = { id, json: JSON.stringify({ id, ...request }), method: request.method ?? 'GET', orderNo, retryCount: request.retryCount ?? 0, uniqueKey: request.url, url: request.url };
    fs.writeFileSync(path.join(queueDir, `${id}.json`), JSON.stringify(file, null, '\t'));
  }

  it('lists the JS dialect: URL, method, state, retries and the last error', () => {
    writeJsRequest('aaa', { url: 'https://example.com/1', method: 'POST' }, 1700000000000);
    writeJsRequest('bbb', { url: 'https://example.com/2', retryCount: 2, errorMessages: ['timeout', 'HTTP 503\n    at handler'], handledAt: '2026-01-01T00:00:00.000Z' }, null);
    const { total, requests } = requestQueuePage(storageDir, 'default', 0, 10);
    assert.equal(total, 2);
    assert.deepEqual(requests, [
      { id: 'aaa', url: 'https://example.com/1', method: 'POST', state: 'pending', retryCount: 0 },
      { id: 'bbb', url: 'https://example.com/2', method: 'GET', state: 'handled', retryCount: 2, lastError: 'HTTP 503\n    at handler' },
    ]);
    assert.deepEqual(requestQueueCounts(storageDir, 'default'), { total: 2, pending: 1, handled: 1, unreadable: 0 });
  });

  it('lists the Python dialect: the request itself (snake_case or camelCase) or the snake_case wrapper', () => {
    fs.writeFileSync(path.join(queueDir, 'p1.json'), JSON.stringify({ url: 'https://example.com/py', unique_key: 'https://example.com/py', method: 'GET', retry_count: 1, handled_at: null }));
    fs.writeFileSync(path.join(queueDir, 'p2.json'), JSON.stringify({ url: 'https://example.com/done', uniqueKey: 'done', retryCount: 3, handledAt: '2026-01-01T00:00:00Z', errorMessages: ['boom'] }));
    // The JS wrapper with snake_case keys: order_no null once handled.
    const wrapped = (url: string, orderNo: number | null) => JSON.stringify({ id: 'x', json: JSON.stringify({ url, unique_key: url, method: 'GET' }), method: 'GET', order_no: orderNo, retry_count: 2, unique_key: url, url });
    fs.writeFileSync(path.join(queueDir, 'p3.json'), wrapped('https://example.com/wrapped-pending', 5));
    fs.writeFileSync(path.join(queueDir, 'p4.json'), wrapped('https://example.com/wrapped-handled', null));
    const { requests } = requestQueuePage(storageDir, 'default', 0, 10);
    assert.deepEqual(requests, [
      { id: 'p1', url: 'https://example.com/py', method: 'GET', state: 'pending', retryCount: 1 },
      { id: 'p2', url: 'https://example.com/done', method: 'GET', state: 'handled', retryCount: 3, lastError: 'boom' },
      { id: 'p3', url: 'https://example.com/wrapped-pending', method: 'GET', state: 'pending', retryCount: 2 },
      { id: 'p4', url: 'https://example.com/wrapped-handled', method: 'GET', state: 'handled', retryCount: 2 },
    ]);
  });

  it('pages by position, reading only the page, and counts anew once the folder changed', () => {
    for (let i = 0; i < 250; i++) writeJsRequest(`r${String(i).padStart(3, '0')}`, { url: `https://example.com/${i}` }, i + 1);
    const page = requestQueuePage(storageDir, 'default', 200, 100);
    assert.equal(page.total, 250);
    assert.deepEqual(page.requests.map((r) => r.url), Array.from({ length: 50 }, (_, i) => `https://example.com/${200 + i}`));
    assert.deepEqual(requestQueueCounts(storageDir, 'default'), { total: 250, pending: 250, handled: 0, unreadable: 0 });
    // A request past the page that is not JSON is not read for this page.
    fs.writeFileSync(path.join(queueDir, 'r999.json'), '{"url": ');
    assert.equal(requestQueuePage(storageDir, 'default', 0, 10).requests.every((r) => !r.problem), true);
    assert.deepEqual(requestQueueCounts(storageDir, 'default'), { total: 251, pending: 250, handled: 0, unreadable: 1 });
  });

  it('shows a file that is no request with its problem, and skips links and internal files', () => {
    fs.writeFileSync(path.join(queueDir, 'bad.json'), '{"url": ');
    fs.writeFileSync(path.join(queueDir, 'nourl.json'), '{"method": "GET"}');
    fs.writeFileSync(path.join(queueDir, '__metadata__.json'), '{}');
    const outside = path.join(storageDir, '..', `${path.basename(storageDir)}-secret.json`);
    fs.writeFileSync(outside, JSON.stringify({ url: 'https://secret.example' }));
    fs.symlinkSync(outside, path.join(queueDir, 'link.json'));
    try {
      const { total, requests } = requestQueuePage(storageDir, 'default', 0, 10);
      assert.equal(total, 2);
      assert.match(requests[0].problem!, /^Request file bad\.json cannot be read: /);
      assert.equal(requests[1].problem, 'Request file nourl.json is not a request (it has no url)');
      assert.ok(!JSON.stringify(requests).includes('secret.example'));
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  it('an empty or missing queue has no requests', () => {
    assert.deepEqual(requestQueuePage(storageDir, 'missing', 0, 10), { total: 0, requests: [] });
  });
});

describe('storage: record previews and Save As', () => {
  let storageDir: string;

  beforeEach(() => {
    storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-record-'));
  });

  afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

  it('previews text (HTML included, as text), images, and nothing else', () => {
    assert.equal(recordPreview('application/json; charset=utf-8', 10), 'text');
    assert.equal(recordPreview('text/html', 10), 'text');
    assert.equal(recordPreview('text/plain; charset=utf-8', 10), 'text');
    assert.equal(recordPreview('application/ld+json', 10), 'text');
    assert.equal(recordPreview('application/xml', 10), 'text');
    assert.equal(recordPreview('image/png', 10), 'image');
    assert.equal(recordPreview('image/svg+xml', 10), 'image');
    assert.equal(recordPreview('application/octet-stream', 10), 'binary');
    assert.equal(recordPreview('application/pdf', 10), 'binary');
    assert.equal(recordPreview('application/zip', 10), 'binary');
    assert.equal(recordPreview('application/json', MAX_PREVIEW_BYTES + 1), 'too-large');
    assert.equal(recordPreview('image/jpeg', MAX_PREVIEW_BYTES + 1), 'too-large');
    assert.equal(recordPreview('application/zip', MAX_PREVIEW_BYTES + 1), 'binary');
  });

  it('Save As streams a record of any size to the chosen file', async () => {
    const store = storageOf(storageDir, 'key_value_stores', 'default');
    store.ensure();
    // Larger than a stream's chunks, so the copy takes many reads.
    const value = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    fs.writeFileSync(store.file('big.bin'), value);
    const destination = path.join(storageDir, 'saved.bin');
    assert.equal(await store.copyOut('big.bin', destination), value.length);
    assert.ok(fs.readFileSync(destination).equals(value));
  });

  it('Save As refuses a link an Actor planted in place of a record, naming it', async () => {
    const store = storageOf(storageDir, 'key_value_stores', 'default');
    store.ensure();
    const secret = path.join(storageDir, 'host-secret.txt');
    fs.writeFileSync(secret, 'HOST SECRET');
    fs.symlinkSync(secret, store.file('OUTPUT.txt'));
    const destination = path.join(storageDir, 'saved.txt');
    await assert.rejects(store.copyOut('OUTPUT.txt', destination), (error: Error) => error instanceof StorageFileError && /OUTPUT\.txt .*symbolic link/.test(error.message));
    assert.ok(!fs.existsSync(destination), 'nothing written');
  });
});
