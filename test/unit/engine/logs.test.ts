import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogSink } from '../../../src/engine/logs';

describe('engine: the log sink', () => {
  it('writes every chunk in order off the event loop, announcing lines only once they are in the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'greenroom-log-')), 'run.log');
    const announced: string[] = [];
    const statuses: string[] = [];
    const sink = new LogSink(file, {
      onLines: (lines) => {
        const written = readFileSync(file, 'utf8');
        for (const line of lines) assert.ok(written.includes(line), `"${line}" announced before it was in the file`);
        announced.push(...lines);
      },
      onStatus: (status) => statuses.push(status.text),
    });
    const expected: string[] = [];
    for (let i = 1; i <= 2000; i++) {
      expected.push(`line ${i}`);
      // Chunks that split lines anywhere, as Docker's frames do.
      sink.write(Buffer.from(`line ${i}\n`.slice(0, 3)));
      sink.write(Buffer.from(`line ${i}\n`.slice(3)));
    }
    assert.equal(announced.length, 0, 'nothing is announced before it is written');
    sink.write(Buffer.from('INFO  [Status message]: Almost done\nno newline at the end'));
    sink.note('Greenroom: a note');
    await sink.close();
    assert.deepEqual(announced, [...expected, 'INFO  [Status message]: Almost done', 'no newline at the endGreenroom: a note']);
    assert.equal(readFileSync(file, 'utf8'), `${expected.join('\n')}\nINFO  [Status message]: Almost done\nno newline at the endGreenroom: a note\n`);
    assert.deepEqual(statuses, ['Almost done']);
    await sink.close();
    assert.equal(announced.length, expected.length + 2, 'a second close announces nothing again');
  });

  it('asks its source to pause while too much waits for the disk, and says when to go on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'greenroom-log-')), 'run.log');
    const sink = new LogSink(file, { onLines: () => undefined });
    const megabyte = Buffer.alloc(1024 * 1024, 'x');
    assert.equal(sink.write(megabyte), false);
    await sink.drained();
    assert.equal(sink.write(Buffer.from('\n')), true);
    await sink.close();
    assert.equal(readFileSync(file).length, megabyte.length + 1);
  });
});
