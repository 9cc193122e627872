import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDemuxer } from '../../../src/engine/containerLog';
import { LogIndex } from '../../../src/engine/logIndex';
import { LogSink, TimeMark } from '../../../src/engine/logs';
import { logTimesFile, prefixLineTimes } from '../../../src/engine/logTimes';

const T0 = Date.parse('2026-12-03T07:00:00.000Z');

function tempLog(): { log: string; times: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'greenroom-logtimes-')), 'run.log');
  return { log, times: logTimesFile(log) };
}

async function timesOf(log: string, times: string): Promise<(number | null)[]> {
  const index = new LogIndex(log, times);
  return index.times(0, await index.update());
}

/** A Docker frame of stdout with its timestamp, as `logs` sends it with `timestamps: true`. */
function frame(payload: string, time: string): Buffer {
  const body = Buffer.from(`${time} ${payload}`);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('engine: when log lines were written (the times file)', () => {
  it('records each line\'s time beside the log, Greenroom\'s own lines too, the log itself untouched', async () => {
    const { log, times } = tempLog();
    const sink = new LogSink(log, { onLines: () => undefined }, times);
    const marks: TimeMark[] = [{ at: 0, time: T0 }, { at: 4, time: T0 + 5 }, { at: 10, time: T0 + 5 }];
    sink.write(Buffer.from('one\ntwo\nthr'), marks);
    sink.write(Buffer.from('ee\nfour\n'), [{ at: 3, time: T0 + 9 }]);
    const before = Date.now();
    sink.note('Greenroom: a note');
    await sink.close();
    assert.equal(readFileSync(log, 'utf8'), 'one\ntwo\nthree\nfour\nGreenroom: a note\n');
    const [one, two, three, four, note] = await timesOf(log, times);
    assert.deepEqual([one, two, three, four], [T0, T0 + 5, T0 + 5, T0 + 9], 'a line has the time of its first byte');
    assert.ok(note! >= before && note! <= Date.now(), 'Greenroom\'s own line has the time it was written');
    assert.ok(statSync(times).size <= 6 * 16, 'one record per change of time, and one closing the session');
  });

  it('reads the times of any range of a long log', async () => {
    const { log, times } = tempLog();
    const sink = new LogSink(log, { onLines: () => undefined }, times);
    const lines = 100_000;
    for (let i = 0; i < lines; i++) sink.write(Buffer.from(`line ${i}\n`), [{ at: 0, time: T0 + Math.floor(i / 3) }]);
    await sink.close();
    const index = new LogIndex(log, times);
    assert.equal(await index.update(), lines);
    assert.deepEqual(await index.times(50_000, 4), [T0 + 16_666, T0 + 16_667, T0 + 16_667, T0 + 16_667]);
    assert.deepEqual(await index.times(lines - 2, 10), [T0 + 33_332, T0 + 33_333]);
    assert.deepEqual(await index.times(lines + 5, 10), []);
  });

  it('gives no times, never an error, for a missing, garbled or cut-short times file', async () => {
    const { log, times } = tempLog();
    writeFileSync(log, 'a\nb\nc\n');
    assert.deepEqual(await timesOf(log, times), [null, null, null], 'missing');
    const untimed = new LogIndex(log);
    await untimed.update();
    assert.deepEqual(await untimed.times(0, 3), [null, null, null], 'a log without a times file');
    writeFileSync(times, randomBytes(16 * 50));
    const garbled = await timesOf(log, times);
    assert.equal(garbled.length, 3);
    assert.ok(garbled.every((time) => time === null || (time >= Date.UTC(2000, 0, 1) && time <= Date.UTC(2200, 0, 1))), 'garbage is no time');
    writeFileSync(times, Buffer.alloc(7));
    assert.deepEqual(await timesOf(log, times), [null, null, null], 'a record cut short');
  });

  it('keeps in step across sessions: a resumed log, a crashed writer, lines written without times', async () => {
    const { log, times } = tempLog();
    let sink = new LogSink(log, { onLines: () => undefined }, times);
    sink.write(Buffer.from('first\n'), [{ at: 0, time: T0 }]);
    await sink.close();
    // An older Greenroom appends without times: its lines have none.
    appendFileSync(log, 'untimed\n');
    // A writer that crashed halfway through a record.
    appendFileSync(times, Buffer.alloc(5, 0xff));
    // The extension restarted and re-attached: the log resumes where the file ends.
    sink = new LogSink(log, { onLines: () => undefined }, times);
    sink.write(Buffer.from('resumed\nand on\n'), [{ at: 0, time: T0 + 1000 }, { at: 8, time: T0 + 2000 }]);
    await sink.close();
    assert.equal(readFileSync(log, 'utf8'), 'first\nuntimed\nresumed\nand on\n');
    assert.deepEqual(await timesOf(log, times), [T0, null, T0 + 1000, T0 + 2000]);
    assert.equal(statSync(times).size % 16, 0, 'the cut-short record was dropped before appending');
  });

  it('cuts Docker\'s timestamps from the frames, however the stream splits them, keeping each frame\'s time', () => {
    const stream = Buffer.concat([
      frame('hello\n', '2026-12-03T07:00:00.001000000Z'),
      frame('world\n', '2026-12-03T07:00:00.002999999Z'),
      frame('no stamp here\n', 'not-a-time'),
      frame('tz\n', '2026-12-03T08:00:00.005+01:00'),
    ]);
    for (const size of [1, 3, 7, 20, stream.length]) {
      const demux = new FrameDemuxer();
      let payload = '';
      const marks: TimeMark[] = [];
      for (let at = 0; at < stream.length; at += size) {
        const piece = demux.push(stream.subarray(at, at + size));
        marks.push(...piece.marks.map((mark) => ({ at: mark.at + Buffer.byteLength(payload), time: mark.time })));
        payload += piece.payload.toString();
      }
      assert.equal(payload, 'hello\nworld\nnot-a-time no stamp here\ntz\n', `chunks of ${size}`);
      const starts = new Map(marks.map((mark) => [mark.at, mark.time]));
      assert.equal(starts.get(0), T0 + 1);
      assert.equal(starts.get(6), T0 + 2);
      assert.equal(starts.get(payload.indexOf('tz')), T0 + 5);
    }
  });

  it('prefixes each line with its ISO time for `greenroom log --timestamps`', async () => {
    const { log, times } = tempLog();
    const sink = new LogSink(log, { onLines: () => undefined }, times);
    sink.write(Buffer.from('één\nlast, unterminated'), [{ at: 0, time: T0 }, { at: 6, time: T0 + 1 }]);
    await sink.close();
    appendFileSync(log, '\nuntimed\n');
    assert.equal(
      await prefixLineTimes(readFileSync(log, 'utf8'), times),
      '2026-12-03T07:00:00.000Z één\n2026-12-03T07:00:00.001Z last, unterminated\n-                        untimed\n',
    );
    assert.equal(await prefixLineTimes('', times), '');
  });
});
