import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorEngine, FollowEvent, RunRecord } from '../../../src/engine';
import { writeJsonAtomic } from '../../../src/engine/recordStore';

/** A run record as another process (the CLI) writes it: this engine gets no events for it, only file changes. */
function record(id: string, status: RunRecord['status'], statusMessage: string | null): object {
  return {
    id,
    status,
    statusMessage,
    startedAt: '2026-01-01T00:00:00.000Z',
    buildId: 'B',
    buildNumber: '0.0.1',
    options: {},
    stats: {},
    defaultDatasetId: 'D',
    defaultKeyValueStoreId: 'K',
    defaultRequestQueueId: 'Q',
    containerUrl: null,
    greenroom: { storageDir: '/s', logOffset: 0 },
  };
}

describe('engine: following a run (engine.follow)', () => {
  it('replays the log, follows what another process appends, reports status changes and ends with the final record', async () => {
    const root = mkdtempSync(join(tmpdir(), 'greenroom-follow-'));
    writeFileSync(join(root, 'apify.json'), '{"name": "follow"}');
    const engine = new ActorEngine({ actorRoot: root, origin: 'CLI' });
    const file = engine.layout.runFile('R');
    const log = engine.layout.runLog('R');
    writeJsonAtomic(file, record('R', 'RUNNING', null));
    writeFileSync(log, 'one\ntwo\nthr');

    const events: FollowEvent[] = [];
    const seen = (predicate: (e: FollowEvent) => boolean) => events.some(predicate);
    const iteration = (async () => {
      for await (const event of engine.follow({ kind: 'run', runId: 'R' })) events.push(event);
    })();
    const until = async (what: string, probe: () => boolean) => {
      for (let i = 0; !probe(); i++) {
        if (i > 400) throw new Error(`no ${what}: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until('replay', () => seen((e) => e.type === 'record'));
    assert.deepEqual(events[0], { type: 'lines', lines: ['one', 'two'] }, 'complete lines first; the unfinished one waits');

    appendFileSync(log, 'ee\nfour\n');
    await until('appended lines', () => seen((e) => e.type === 'lines' && e.lines.includes('four')));
    writeJsonAtomic(file, record('R', 'RUNNING', 'half way'));
    await until('a status message', () => seen((e) => e.type === 'record' && e.record.statusMessage === 'half way'));
    appendFileSync(log, 'five\nlast without newline');
    writeJsonAtomic(file, record('R', 'SUCCEEDED', 'done'));
    await iteration;

    const lines = events.flatMap((e) => (e.type === 'lines' ? e.lines : []));
    assert.deepEqual(lines, ['one', 'two', 'three', 'four', 'five', 'last without newline']);
    const final = events[events.length - 1];
    assert.ok(final.type === 'record' && final.record.status === 'SUCCEEDED' && final.record.statusMessage === 'done');
    engine.dispose();
  });

  it('says when the record does not exist', async () => {
    const root = mkdtempSync(join(tmpdir(), 'greenroom-follow-'));
    writeFileSync(join(root, 'apify.json'), '{"name": "follow"}');
    const engine = new ActorEngine({ actorRoot: root, origin: 'CLI' });
    const events: FollowEvent[] = [];
    for await (const event of engine.follow({ kind: 'build', buildId: 'nope' })) events.push(event);
    assert.deepEqual(events, [{ type: 'missing' }]);
    engine.dispose();
  });
});
