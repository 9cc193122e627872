/**
 * Actor: Open Record — a key-value store record: JSON and text in an editor, images in VS Code's image preview,
 * anything else with VS Code's default editor. From the palette it offers the records of a run's store.
 */
import * as vscode from 'vscode';
import { StorageReader } from '../../../engine';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

type RecordTarget = { file: string; contentType: string } | RunTarget;

export function registerOpenRecord(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openRecord', async (target?: RecordTarget) => {
    const record = target && 'file' in target ? target : await pickRecord(services, target);
    if (!record) return;
    const uri = vscode.Uri.file(record.file);
    const isText = /json|text|xml|javascript|csv/.test(record.contentType);
    if (isText) await vscode.window.showTextDocument(uri, { preview: true });
    else await vscode.commands.executeCommand('vscode.open', uri);
  });
}

async function pickRecord(services: Services, target: RunTarget): Promise<{ file: string; contentType: string } | undefined> {
  const picked = await pickRun(services, target, 'Open Record');
  if (!picked) return undefined;
  const { run } = picked;
  const records = new StorageReader(run.greenroom.storageDir).keyValueRecords(run.defaultKeyValueStoreId);
  const choice = await vscode.window.showQuickPick(
    records.map((r) => ({ label: r.key, description: r.contentType, record: r })),
    { title: `Open which record of run ${run.id}?` },
  );
  return choice?.record;
}
