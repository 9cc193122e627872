/** A workspace with one Actor, two at-home runs with their tokens and default storages, and a server serving the storage routes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApifyClient } from 'apify-client';
import { newRunToken, newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { datasetRoutes } from '../../../src/platform/routes/datasets';
import { keyValueStoreRoutes } from '../../../src/platform/routes/keyValueStores';
import { requestQueueRoutes } from '../../../src/platform/routes/requestQueues';
import { userRoutes } from '../../../src/platform/routes/users';
import type { RunRecord } from '../../../src/engine';
import { createStorages } from '../../../src/storage';
import { ActorWorkspace } from '../../../src/workspace';
import { runRecordFixture } from '../runRecordFixture';

export interface FixtureRun {
  record: RunRecord;
  token: string;
  client: ApifyClient;
}

export interface StorageFixture {
  root: string;
  actorRoot: string;
  server: PlatformServer;
  baseUrl: string;
  userToken: string;
  user: ApifyClient;
  runA: FixtureRun;
  runB: FixtureRun;
  close(): Promise<void>;
}

let counter = 0;

function runRecord(actorRoot: string, id: string, token: string): RunRecord {
  const n = String(++counter).padStart(3, '0');
  const datasetId = `dataset${n}xxxxxxxxx`.slice(0, 17);
  return runRecordFixture(
    id,
    path.join(actorRoot, '.greenroom', 'storage'),
    {
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      exitCode: null,
      defaultDatasetId: datasetId,
      defaultKeyValueStoreId: `kvstore${n}xxxxxxxxx`.slice(0, 17),
      defaultRequestQueueId: `queue${n}xxxxxxxxxxx`.slice(0, 17),
      storageIds: { datasets: { default: datasetId, extra: `alias${n}xxxxxxxxxxx`.slice(0, 17) }, keyValueStores: {}, requestQueues: {} },
    },
    { apiToken: token },
  );
}

export async function startStorageFixture(): Promise<StorageFixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-platform-storage-'));
  const actorRoot = path.join(root, 'my-actor');
  fs.mkdirSync(path.join(actorRoot, '.actor'), { recursive: true });
  fs.writeFileSync(path.join(actorRoot, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'my-actor', version: '0.0' }));
  fs.mkdirSync(path.join(actorRoot, '.greenroom', 'runs'), { recursive: true });
  const runs = ['runAaaaaaaaaaaaaa', 'runBbbbbbbbbbbbbb'].map((id) => {
    const token = newRunToken(id);
    const record = runRecord(actorRoot, id, token);
    fs.writeFileSync(path.join(actorRoot, '.greenroom', 'runs', `${id}.json`), JSON.stringify(record));
    createStorages(record.greenroom.storageDir, { datasetId: record.defaultDatasetId, keyValueStoreId: record.defaultKeyValueStoreId, requestQueueId: record.defaultRequestQueueId });
    fs.mkdirSync(path.join(record.greenroom.storageDir, 'datasets', record.storageIds!.datasets.extra), { recursive: true });
    return { record, token };
  });
  const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
  const userToken = newUserToken();
  const server = await startPlatformServer({ workspace, userToken, hosts: ['127.0.0.1'], routes: [userRoutes, datasetRoutes, keyValueStoreRoutes, requestQueueRoutes] });
  const baseUrl = server.baseUrl('127.0.0.1');
  const client = (token: string) => new ApifyClient({ token, baseUrl, publicBaseUrl: baseUrl, maxRetries: 0 });
  const [a, b] = runs.map((run) => ({ ...run, client: client(run.token) }));
  return {
    root,
    actorRoot,
    server,
    baseUrl,
    userToken,
    user: client(userToken),
    runA: a,
    runB: b,
    close: async () => {
      await server.close();
      workspace.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
