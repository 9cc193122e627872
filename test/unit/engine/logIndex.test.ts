import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogIndex } from '../../../src/engine/logIndex';
import { readSamples, SampleWriter, thin } from '../../../src/engine/statsSamples';
import { runViewLink } from '../../../src/engine/runName';

const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'greenroom-logindex-')), name);

describe('engine: random access to a growing log', () => {
  it('reads any range of lines, and only complete lines, as the log grows', async () => {
    const file = tempFile('run.log');
    writeFileSync(file, 'one\ntwo\r\nthree\nfou');
    const index = new LogIndex(file);
    assert.equal(await index.update(), 3, 'the unfinished last line is not a line yet');
    assert.deepEqual(await index.lines(1, 5), ['two', 'three']);
    appendFileSync(file, 'r\nfive\n');
    assert.equal(await index.update(), 5);
    assert.deepEqual(await index.lines(3, 2), ['four', 'five']);
    assert.deepEqual(await index.lines(9, 2), []);
  });

  it('indexes a log of many chunks and searches it case-insensitively', async () => {
    const file = tempFile('big.log');
    const lines = Array.from({ length: 200_000 }, (_, i) => (i === 123_456 ? 'the NEEDLE' : `line ${i} ${'x'.repeat(i % 17)}`));
    writeFileSync(file, lines.join('\n') + '\n');
    const index = new LogIndex(file);
    assert.equal(await index.update(), lines.length);
    assert.deepEqual(await index.lines(199_998, 5), lines.slice(199_998));
    assert.deepEqual(await index.search('needle'), [123_456]);
  });

  it('starts again when the log was replaced by a shorter one, and counts no lines while there is none', async () => {
    const file = tempFile('gone.log');
    const index = new LogIndex(file);
    assert.equal(await index.update(), 0);
    writeFileSync(file, 'a\nb\nc\n');
    assert.equal(await index.update(), 3);
    writeFileSync(file, 'z\n');
    assert.equal(await index.update(), 1);
    assert.deepEqual(await index.lines(0, 3), ['z']);
  });
});

describe('engine: stats samples over a run', () => {
  it('appends samples and reads them back, thinned to a bound with the last one kept', async () => {
    const file = tempFile('run.stats.jsonl');
    const writer = new SampleWriter(file);
    for (let i = 0; i < 10; i++) writer.add({ memBytes: i * 100, cpuUsage: i + 0.123 }, 1000 + i);
    writer.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    appendFileSync(file, '[1, 2'); // cut short by a crash
    const samples = await readSamples(file);
    assert.equal(samples.length, 10);
    assert.deepEqual(samples[9], [1009, 900, 9.12]);
    const thinned = thin(samples, 4);
    assert.ok(thinned.length <= 5);
    assert.deepEqual(thinned[thinned.length - 1], samples[9]);
    assert.deepEqual(await readSamples(tempFile('none.jsonl')), []);
  });
});

describe('engine: a run view link', () => {
  it('names the Actor folder and the run for the extension\'s URI handler', () => {
    const link = new URL(runViewLink('/work/my actor', 'abc'));
    assert.equal(link.protocol, 'vscode:');
    assert.equal(link.host, 'greenroom.greenroom');
    assert.equal(link.pathname, '/run');
    assert.equal(link.searchParams.get('actor'), '/work/my actor');
    assert.equal(link.searchParams.get('run'), 'abc');
  });
});
