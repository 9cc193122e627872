/**
 * Actor: Open Record — a key-value store record: JSON and text in an editor, images in VS Code's image preview,
 * anything else with VS Code's default editor. From the palette it offers the records of a run's store. The record's
 * file is checked first (a regular file inside the storage, not a link an Actor planted); VS Code reads it itself,
 * so a record of any size opens without Greenroom holding it.
 */
import * as vscode from 'vscode';
import { runName } from '../../../engine';
import { StorageReader } from '../../../storage';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

type RecordTarget = { storageDir: string; storeId: string; name: string; file: string; contentType: string } | RunTarget;

export function registerOpenRecord(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openRecord', async (target?: RecordTarget) => {
    const record = target && 'file' in target ? target : await pickRecord(services, target);
    if (!record) return;
    try {
      new StorageReader(record.storageDir).checkRecordFile(record.storeId, record.name);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot open the record: ${errorMessage(error)}`);
      return;
    }
    const uri = vscode.Uri.file(record.file);
    const isText = /json|text|xml|javascript|csv/.test(record.contentType);
    if (isText) await vscode.window.showTextDocument(uri, { preview: true });
    else await vscode.commands.executeCommand('vscode.open', uri);
  });
}

async function pickRecord(services: Services, target: RunTarget): Promise<Exclude<RecordTarget, RunTarget> | undefined> {
  const picked = await pickRun(services, target, 'Open Record');
  if (!picked) return undefined;
  const { run } = picked;
  const { storageDir } = run.greenroom;
  const storeId = run.defaultKeyValueStoreId;
  const records = new StorageReader(storageDir).keyValueRecords(storeId);
  const choice = await vscode.window.showQuickPick(
    records.map((r) => ({ label: r.key, description: r.contentType, record: r })),
    { title: `Open which record of ${runName(run)}?` },
  );
  return choice && { storageDir, storeId, ...choice.record };
}
