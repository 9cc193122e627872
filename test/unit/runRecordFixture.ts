/** A complete run record as the engine writes it, for tests that put records on disk without running anything. */
import type { RunInternals, RunRecord } from '../../src/engine/types';

export function runRecordFixture(id: string, storageDir: string, fields: Partial<RunRecord> = {}, internals: Partial<RunInternals> = {}): RunRecord {
  return {
    id,
    actId: 'my-actor',
    status: 'SUCCEEDED',
    statusMessage: null,
    isStatusMessageTerminal: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    exitCode: 0,
    buildId: 'build1',
    buildNumber: '0.0.1',
    meta: { origin: 'CLI' },
    options: { build: 'latest', timeoutSecs: 0, memoryMbytes: 1024 },
    stats: { runTimeSecs: 0, durationMillis: 0, resurrectCount: 0, restartCount: 0 },
    defaultDatasetId: `D${id}`,
    defaultKeyValueStoreId: `K${id}`,
    defaultRequestQueueId: `Q${id}`,
    containerUrl: null,
    ...fields,
    greenroom: {
      containerId: null,
      storageDir,
      sharedStorage: false,
      inputKey: 'INPUT',
      segmentStartedAt: null,
      previousSegmentsMillis: 0,
      timeoutAt: null,
      logOffset: 0,
      monitorPid: null,
      env: {},
      ...internals,
    },
  };
}
