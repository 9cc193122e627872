import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A temporary Actor folder with one SUCCEEDED run whose default dataset holds `items` (named by position, as the SDKs
 * write them): what `greenroom items` and the exports read, without Docker. Returns the folder and the run's storage.
 */
export function actorWithFinishedRun(actorJson: { name: string; [key: string]: unknown }, runId: string, items: unknown[]): { root: string; storageDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `greenroom-${actorJson.name}-`));
  fs.mkdirSync(path.join(root, '.actor'));
  fs.writeFileSync(path.join(root, '.actor', 'actor.json'), JSON.stringify(actorJson));
  const storageDir = path.join(root, '.greenroom', 'storage');
  const datasetDir = path.join(storageDir, 'datasets', 'default');
  fs.mkdirSync(datasetDir, { recursive: true });
  items.forEach((item, i) => fs.writeFileSync(path.join(datasetDir, `${String(i + 1).padStart(9, '0')}.json`), JSON.stringify(item)));
  fs.mkdirSync(path.join(root, '.greenroom', 'runs'), { recursive: true });
  const run = {
    id: runId,
    actId: actorJson.name,
    status: 'SUCCEEDED',
    startedAt: new Date().toISOString(),
    buildId: 'b',
    buildNumber: '0.0.1',
    options: {},
    stats: {},
    defaultDatasetId: 'default',
    defaultKeyValueStoreId: 'default',
    defaultRequestQueueId: 'default',
    greenroom: { storageDir },
  };
  fs.writeFileSync(path.join(root, '.greenroom', 'runs', `${runId}.json`), JSON.stringify(run));
  return { root, storageDir };
}
