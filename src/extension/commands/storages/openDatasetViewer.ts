/**
 * Actor: Open Dataset Viewer — a dataset as a paged table with the dataset schema's views: from a dataset node
 * (click or inline action), from a run (its default dataset), or from the palette (a picked run's dataset).
 * Actor: Open Request Queue — a request queue's requests in the same viewer, paged the same way, from a queue node,
 * a run (its default queue) or the palette. Both return the folder, which is also the key the viewer's test hook takes.
 */
import * as vscode from 'vscode';
import { RunRecord, runName } from '../../../engine';
import { ActorEntry } from '../../actors/actorRegistry';
import { DatasetViewers } from '../../datasetViewer/datasetViewers';
import { DatasetLocation, RequestQueueLocation } from '../../../webviewProtocols/datasetViewer';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

/** A dataset (or request queue) as its node (or a test) passes it. */
type DatasetTarget = { actorRoot: string; storageDir: string; id: string };

export function registerOpenDatasetViewer(services: Services, extensionUri: vscode.Uri): vscode.Disposable {
  const viewers = new DatasetViewers(extensionUri);
  const command = vscode.commands.registerCommand('greenroom.openDatasetViewer', async (target?: DatasetTarget | RunTarget) => {
    const location = target && 'storageDir' in target ? datasetLocation(services, target) : await runDatasetLocation(services, target);
    return location && viewers.show(location);
  });
  const queueCommand = vscode.commands.registerCommand('greenroom.openRequestQueue', async (target?: DatasetTarget | RunTarget) => {
    const location = target && 'storageDir' in target ? requestQueueLocation(services, target) : await runRequestQueueLocation(services, target);
    return location && viewers.show(location);
  });
  return vscode.Disposable.from(command, queueCommand, viewers);
}

function requestQueueLocation(services: Services, { actorRoot, storageDir, id }: DatasetTarget): RequestQueueLocation {
  const actor = services.registry.get(actorRoot);
  const run = actor?.engine.listRuns().find((r) => !r.greenroom.sharedStorage && r.greenroom.storageDir === storageDir && r.defaultRequestQueueId === id);
  return { storageDir, queueId: id, title: actor && run ? `${actor.name} · ${runName(run)} · request queue` : `Request queue ${id}` };
}

async function runRequestQueueLocation(services: Services, target: RunTarget): Promise<RequestQueueLocation | undefined> {
  const picked = await pickRun(services, target, 'Open Request Queue');
  if (!picked) return undefined;
  const { actor, run } = picked;
  return { storageDir: run.greenroom.storageDir, queueId: run.defaultRequestQueueId, title: `${actor.name} · ${runName(run)} · request queue` };
}

function datasetLocation(services: Services, { actorRoot, storageDir, id }: DatasetTarget): DatasetLocation {
  // A run's own dataset is titled after the run, however it was opened (the shared storage/ belongs to no run).
  const actor = services.registry.get(actorRoot);
  const run = actor?.engine.listRuns().find((r) => !r.greenroom.sharedStorage && r.greenroom.storageDir === storageDir && r.defaultDatasetId === id);
  return { actorRoot, storageDir, datasetId: id, title: actor && run ? runDatasetTitle(actor, run) : `Dataset ${id}` };
}

async function runDatasetLocation(services: Services, target: RunTarget): Promise<DatasetLocation | undefined> {
  const picked = await pickRun(services, target, 'Open Dataset Viewer');
  if (!picked) return undefined;
  const { actor, run } = picked;
  return { actorRoot: actor.root, storageDir: run.greenroom.storageDir, datasetId: run.defaultDatasetId, title: runDatasetTitle(actor, run) };
}

/** "hello-actor · Run #3 · Dec 2 03:28:15 · dataset". */
function runDatasetTitle(actor: ActorEntry, run: RunRecord): string {
  return `${actor.name} · ${runName(run)} · dataset`;
}
