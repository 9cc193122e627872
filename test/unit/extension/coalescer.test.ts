// The Coalescer the views redraw through: a burst of changes becomes one flush with every key, none is lost.
import * as assert from 'assert';
import { Coalescer } from '../../../src/extension/coalescer';

describe('Coalescer', () => {
  /** A coalescer whose flushes resolve the promises `next()` hands out, in order. */
  function recording(intervalMs: number) {
    const flushes: (Set<string> | 'all')[] = [];
    const waiting: (() => void)[] = [];
    const coalescer = new Coalescer<string>(intervalMs, (changed) => {
      flushes.push(changed === 'all' ? 'all' : new Set(changed));
      waiting.shift()?.();
    });
    const next = () => new Promise<void>((resolve) => waiting.push(resolve));
    return { coalescer, flushes, next };
  }

  it('flushes the first change of a quiet spell, then every change of a burst together', async () => {
    const { coalescer, flushes, next } = recording(50);
    let flushed = next();
    coalescer.add('a');
    await flushed;
    assert.deepStrictEqual(flushes, [new Set(['a'])]);

    flushed = next();
    for (const key of ['b', 'c', 'b', 'd']) coalescer.add(key);
    await flushed;
    assert.deepStrictEqual(flushes, [new Set(['a']), new Set(['b', 'c', 'd'])]);
    coalescer.dispose();
  });

  it("says 'all' when a change without a key came in the burst", async () => {
    const { coalescer, flushes, next } = recording(10);
    const flushed = next();
    coalescer.add('a');
    coalescer.add();
    await flushed;
    assert.deepStrictEqual(flushes, ['all']);
    coalescer.dispose();
  });

  it('drops what is pending when disposed', async () => {
    const { coalescer, flushes } = recording(10);
    coalescer.add('a');
    coalescer.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepStrictEqual(flushes, []);
  });
});
