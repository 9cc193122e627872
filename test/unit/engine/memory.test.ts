import * as assert from 'node:assert/strict';
import { ActorDefinitionError } from '../../../src/engine/actorDefinition';
import { defaultMemoryMbytes, memoryRange } from '../../../src/engine/memory';
import { checkMemory, RunOptionsError } from '../../../src/engine/runs';

const actor = (memory: { minMbytes?: number; maxMbytes?: number; defaultMbytes?: number | string }) => ({ memory });

describe('engine: run memory (actor.json min/max/default)', () => {
  it("offers the platform's powers of two, narrowed by minMemoryMbytes–maxMemoryMbytes", () => {
    assert.deepEqual(memoryRange(actor({})).choices, [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]);
    assert.deepEqual(memoryRange(actor({ minMbytes: 256, maxMbytes: 1024 })).choices, [256, 512, 1024]);
    // Not powers of two (a validator warning): only the sizes inside the declared bounds.
    assert.deepEqual(memoryRange(actor({ minMbytes: 100, maxMbytes: 3000 })).choices, [128, 256, 512, 1024, 2048]);
  });

  it('refuses memory outside the range with a message naming it', () => {
    assert.throws(() => checkMemory(2048, memoryRange(actor({ maxMbytes: 1024 }))), (error: unknown) => {
      assert.ok(error instanceof RunOptionsError);
      assert.equal(error.message, 'Memory must be a power of two between 128 and 1024 MB (actor.json maxMemoryMbytes), got 2048');
      return true;
    });
    assert.throws(() => checkMemory(256, memoryRange(actor({ minMbytes: 512, maxMbytes: 4096 }))), /between 512 and 4096 MB \(actor\.json minMemoryMbytes–maxMemoryMbytes\), got 256/);
    assert.throws(() => checkMemory(300, memoryRange(actor({}))), /Memory must be a power of two between 128 and 32768 MB, got 300$/);
    checkMemory(1024, memoryRange(actor({ maxMbytes: 1024 })));
  });

  it('defaults to defaultMemoryMbytes, else 1024, clamped into the range', async () => {
    assert.equal(await defaultMemoryMbytes(actor({}), {}, {}), 1024);
    assert.equal(await defaultMemoryMbytes(actor({ defaultMbytes: 512 }), {}, {}), 512);
    assert.equal(await defaultMemoryMbytes(actor({ minMbytes: 2048 }), {}, {}), 2048, 'the fallback 1024 is below the minimum');
    assert.equal(await defaultMemoryMbytes(actor({ maxMbytes: 512 }), {}, {}), 512, 'the fallback 1024 is above the maximum');
    assert.equal(await defaultMemoryMbytes(actor({ defaultMbytes: 8192, maxMbytes: 4096 }), {}, {}), 4096);
  });

  it('evaluates a memory expression over the input and run options as the platform does (rounded to a power of two)', async () => {
    const perUrl = actor({ defaultMbytes: "get(input, 'urls.length', 1) * 256", maxMbytes: 4096 });
    assert.equal(await defaultMemoryMbytes(perUrl, {}, {}), 256);
    assert.equal(await defaultMemoryMbytes(perUrl, { urls: ['a', 'b', 'c'] }, {}), 1024, '768 rounds to the closest power of two');
    assert.equal(await defaultMemoryMbytes(perUrl, { urls: new Array(100).fill('u') }, {}), 4096, 'clamped to maxMemoryMbytes');
    const byTimeout = actor({ defaultMbytes: 'max({{runOptions.timeoutSecs}} / 2, 128)' });
    assert.equal(await defaultMemoryMbytes(byTimeout, {}, { timeoutSecs: 3600 }), 2048, '1800 rounds to 2048');
    assert.equal(await defaultMemoryMbytes(byTimeout, {}, { timeoutSecs: 60 }), 128);
  });

  it('refuses an expression that cannot be evaluated, naming it', async () => {
    await assert.rejects(defaultMemoryMbytes(actor({ defaultMbytes: '{{runOptions.secret}} * 2' }), {}, {}), (error: unknown) => {
      assert.ok(error instanceof ActorDefinitionError);
      assert.match(error.message, /^actor\.json "defaultMemoryMbytes" \("\{\{runOptions\.secret\}\} \* 2"\) cannot be evaluated: Invalid variable/);
      return true;
    });
    await assert.rejects(defaultMemoryMbytes(actor({ minMbytes: 600, maxMbytes: 1000 }), {}, {}), /allows no run memory: it must be a power of two between 600 and 1000 MB/);
  });
});
