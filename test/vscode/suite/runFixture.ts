// A finished run of the example Actor as the engine leaves it on disk, for the run view's tests and benchmark:
// record, a 1,000,000-line log (every 100,000th line Greenroom's own, one "needle") with its times, stats samples,
// storages, and pay-per-event charges (the second greeting above the run's limit).
import * as fs from 'fs';
import * as path from 'path';

export const RUN_ID = 'RunViewFixture0001';
export const LOG_LINES = 1_000_000;
export const SAMPLES = 120;
export const RUN_STARTED_AT = '2026-12-01T10:00:00.000Z';
/** Lines that share one time in the log's times file; each block of them is this much later than the one before. */
export const LINES_PER_TIME = 1000;
export const MILLIS_PER_TIME = 120;

/** A finished run of the example Actor as the engine leaves it on disk. */
export function writeFinishedRun(actorRoot: string): void {
  const greenroom = path.join(actorRoot, '.greenroom');
  const storageDir = path.join(greenroom, 'storage');
  const runsDir = path.join(greenroom, 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  const started = Date.parse(RUN_STARTED_AT);
  const ids = { dataset: `D${RUN_ID}`, store: `K${RUN_ID}`, queue: `Q${RUN_ID}` };
  const dataset = path.join(storageDir, 'datasets', ids.dataset);
  const store = path.join(storageDir, 'key_value_stores', ids.store);
  fs.mkdirSync(dataset, { recursive: true });
  fs.mkdirSync(store, { recursive: true });
  fs.mkdirSync(path.join(storageDir, 'request_queues', ids.queue), { recursive: true });
  ['Ada', 'Grace'].forEach((name, i) => fs.writeFileSync(path.join(dataset, `${String(i + 1).padStart(9, '0')}.json`), JSON.stringify({ name, greeting: `Hi, ${name}!` })));
  fs.writeFileSync(path.join(store, 'INPUT.json'), JSON.stringify({ names: ['Ada', 'Grace'] }));
  fs.writeFileSync(path.join(store, 'SUMMARY.json'), JSON.stringify({ greeted: 2 }));
  // A million lines written in large blocks; every 100,000th is Greenroom's own. Their times as the engine records
  // them (src/engine/logTimes.ts): [log byte offset, ms since the epoch] as little-endian float64s, per block of lines.
  const fd = fs.openSync(path.join(runsDir, `${RUN_ID}.log`), 'w');
  const times = Buffer.alloc((LOG_LINES / LINES_PER_TIME) * 16);
  let offset = 0;
  const block: string[] = [];
  for (let line = 1; line <= LOG_LINES; line++) {
    const text = line % 100_000 === 0 ? `Greenroom: note ${line}` : line === 765_432 ? `INFO  the needle is here (${line})` : `INFO  Line ${line} of the Actor`;
    if ((line - 1) % LINES_PER_TIME === 0) {
      const record = (line - 1) / LINES_PER_TIME;
      times.writeDoubleLE(offset, record * 16);
      times.writeDoubleLE(started + record * MILLIS_PER_TIME, record * 16 + 8);
    }
    offset += Buffer.byteLength(text) + 1;
    block.push(text);
    if (block.length === 50_000) fs.writeSync(fd, block.splice(0).join('\n') + '\n');
  }
  if (block.length) fs.writeSync(fd, block.join('\n') + '\n');
  fs.closeSync(fd);
  fs.writeFileSync(path.join(runsDir, `${RUN_ID}.log.times`), times);
  const samples = Array.from({ length: SAMPLES }, (_, i) => JSON.stringify([started + i * 1000, (100 + 50 * Math.sin(i / 10)) * 1024 * 1024, 20 + (i % 30)])).join('\n') + '\n';
  fs.writeFileSync(path.join(runsDir, `${RUN_ID}.stats.jsonl`), samples);
  const charges = [
    { eventName: 'apify-actor-start', count: 1, chargedAt: new Date(started).toISOString() },
    { eventName: 'greeting', count: 1, chargedAt: new Date(started + 30_000).toISOString() },
    { eventName: 'greeting', count: 1, chargedAt: new Date(started + 60_000).toISOString() },
  ];
  fs.writeFileSync(path.join(runsDir, `${RUN_ID}.charges.jsonl`), charges.map((charge) => JSON.stringify(charge) + '\n').join(''));
  const record = {
    id: RUN_ID,
    actId: 'hello-actor',
    status: 'SUCCEEDED',
    statusMessage: 'Greeted 2 people',
    isStatusMessageTerminal: true,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(started + SAMPLES * 1000).toISOString(),
    exitCode: 0,
    buildId: 'build1',
    buildNumber: '0.0.1',
    meta: { origin: 'DEVELOPMENT' },
    options: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 512, maxTotalChargeUsd: 0.03 },
    pricingInfo: {
      pricingModel: 'PAY_PER_EVENT',
      pricingPerEvent: {
        actorChargeEvents: {
          'apify-actor-start': { eventTitle: 'Actor start', eventPriceUsd: 0.005 },
          greeting: { eventTitle: 'Greeting sent', eventPriceUsd: 0.02 },
          report: { eventTitle: 'Report written', eventPriceUsd: 0.1 },
        },
      },
    },
    stats: { runTimeSecs: SAMPLES, durationMillis: SAMPLES * 1000, resurrectCount: 0, restartCount: 0, memAvgBytes: 100 * 1024 * 1024, memMaxBytes: 150 * 1024 * 1024, cpuAvgUsage: 34, cpuMaxUsage: 49 },
    defaultDatasetId: ids.dataset,
    defaultKeyValueStoreId: ids.store,
    defaultRequestQueueId: ids.queue,
    containerUrl: null,
    greenroom: { runNumber: 41, containerId: null, storageDir, sharedStorage: false, inputKey: 'INPUT', segmentStartedAt: null, previousSegmentsMillis: 0, timeoutAt: null, logOffset: 0, monitorPid: null, env: {} },
  };
  fs.writeFileSync(path.join(runsDir, `${RUN_ID}.json`), JSON.stringify(record, null, 2));
}
