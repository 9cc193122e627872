import * as assert from 'node:assert/strict';
import { nextRunNumber, runName } from '../../../src/engine/runName';
import { runRecordFixture } from '../runRecordFixture';

describe('engine: a run\'s name', () => {
  // Local time, as the name shows it, so the test holds in any time zone.
  const startedAt = new Date(2026, 11, 2, 3, 8, 5).toISOString();

  it('is its number and local start time, the same in every locale', () => {
    assert.equal(runName(runRecordFixture('abcdefghijk', '/s', { startedAt }, { runNumber: 12 })), 'Run #12 · Dec 2 03:08:05');
  });

  it('falls back to the id\'s first characters for a record older than run numbers', () => {
    assert.equal(runName(runRecordFixture('abcdefghijk', '/s', { startedAt })), 'Run abcdef · Dec 2 03:08:05');
  });

  it('numbers a new run one above every kept run, from 1', () => {
    assert.equal(nextRunNumber([]), 1);
    const runs = [runRecordFixture('a', '/s', {}, { runNumber: 3 }), runRecordFixture('b', '/s'), runRecordFixture('c', '/s', {}, { runNumber: 7 })];
    assert.equal(nextRunNumber(runs), 8);
  });
});
