import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { join } from 'node:path';
import type { EngineContext } from '../../../src/engine/context';
import { ActorLayout, RecordStore } from '../../../src/engine/recordStore';
import { applyRetention } from '../../../src/engine/retention';
import type { RunRecord } from '../../../src/engine/types';
import { writeActor } from './invalidActor';
import { runRecordFixture } from '../runRecordFixture';

describe('engine: the .greenroom folder', () => {
  it('writes its own .gitignore, so it never shows in git status', () => {
    const root = writeActor({ actorSpecification: 1, name: 'git-actor', version: '0.1' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const layout = new ActorLayout(root);
    new RecordStore(layout, () => undefined);
    assert.equal(fs.readFileSync(path.join(root, '.greenroom', '.gitignore'), 'utf8'), '*\n');
    fs.writeFileSync(layout.tagsFile, '{}');
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(status.trim().split('\n').sort(), ['?? .actor/actor.json', '?? Dockerfile']);
  });
});

function validRun(id: string, startedAt: string, storageDir: string): RunRecord {
  return runRecordFixture(id, storageDir, {
    actId: 'a',
    isStatusMessageTerminal: true,
    startedAt,
    finishedAt: startedAt,
    buildId: 'B',
    options: { build: '0.0.1', timeoutSecs: 0, memoryMbytes: 128 },
  });
}

describe('engine: record store', () => {
  let layout: ActorLayout;
  let store: RecordStore;
  let warnings: string[];

  beforeEach(() => {
    layout = new ActorLayout(mkdtempSync(join(tmpdir(), 'greenroom-records-')));
    warnings = [];
    store = new RecordStore(layout, (message) => warnings.push(message));
  });

  it('skips records that are truncated, empty, not objects, or lack fields, each with one warning naming the file', () => {
    store.saveRun(validRun('good', '2026-01-02T00:00:00.000Z', layout.runStorageDir));
    const bad = {
      idOnly: '{"id": "idOnly"}',
      truncated: '{"id": "truncated", "status": ',
      empty: '',
      array: '[]',
      wrongTypes: JSON.stringify({ ...validRun('wrongTypes', '2026-01-01T00:00:00.000Z', '/x'), stats: 7 }),
      badStatus: JSON.stringify({ ...validRun('badStatus', '2026-01-01T00:00:00.000Z', '/x'), status: 'DONE' }),
    };
    for (const [name, text] of Object.entries(bad)) writeFileSync(layout.runFile(name), text);
    assert.deepEqual(store.listRuns().map((r) => r.id), ['good']);
    assert.equal(warnings.length, Object.keys(bad).length, warnings.join('\n'));
    for (const name of Object.keys(bad)) assert.equal(warnings.filter((w) => w.includes(`${name}.json`)).length, 1, `one warning for ${name}.json`);
    assert.match(warnings.find((w) => w.includes('idOnly.json'))!, /"startedAt" is missing/);
    assert.match(warnings.find((w) => w.includes('truncated.json'))!, /not valid JSON/);
    assert.match(warnings.find((w) => w.includes('wrongTypes.json'))!, /"stats" is not an object/);
    assert.match(warnings.find((w) => w.includes('badStatus.json'))!, /"status" is not a run status/);

    // Listing again, and reading one, warns no more: the file has not changed.
    store.listRuns();
    assert.equal(store.getRun('idOnly'), undefined);
    assert.equal(warnings.length, Object.keys(bad).length);
    // A new version of the file is a new problem worth one warning.
    writeFileSync(layout.runFile('idOnly'), '{"id": "idOnly", "startedAt": "x"}');
    store.listRuns();
    assert.equal(warnings.filter((w) => w.includes('idOnly.json')).length, 2);
  });

  it('validates builds too', () => {
    writeFileSync(layout.buildFile('b'), '{"id": "b"}');
    assert.deepEqual(store.listBuilds(), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /b\.json.*"startedAt" is missing/);
  });

  it('applies retention past a corrupt record without crashing', () => {
    for (let i = 1; i <= 3; i++) store.saveRun(validRun(`r${i}`, `2026-01-0${i}T00:00:00.000Z`, layout.runStorageDir));
    writeFileSync(layout.runFile('idOnly'), '{"id": "idOnly"}');
    const ctx = { store, layout, emit: () => undefined } as unknown as EngineContext;
    assert.deepEqual(applyRetention(ctx, 1), ['r2', 'r1']);
    assert.deepEqual(store.listRuns().map((r) => r.id), ['r3']);
    assert.equal(warnings.length, 1);
  });

  it('writes in the background, and drops a save that a save on the event loop overtook (a final record is never undone)', async () => {
    const running = { ...validRun('r', '2026-01-01T00:00:00.000Z', layout.runStorageDir), status: 'RUNNING' as const, statusMessage: 'half way' };
    assert.equal(await store.saveRunAsync(running), true);
    assert.equal((await store.getRunAsync('r'))?.statusMessage, 'half way');

    const overtaken = store.saveRunAsync({ ...running, statusMessage: 'later' });
    store.saveRun({ ...running, status: 'SUCCEEDED', statusMessage: 'done' });
    assert.equal(await overtaken, false);
    assert.deepEqual([store.getRun('r')?.status, store.getRun('r')?.statusMessage], ['SUCCEEDED', 'done']);

    assert.equal(await store.saveRunAsync({ ...running, statusMessage: 'unwanted' }, async () => false), false);
    assert.equal(store.getRun('r')?.status, 'SUCCEEDED');
    assert.deepEqual(fs.readdirSync(layout.runsDir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left behind');
  });
});

