/**
 * Actor: Open Record — a key-value store record previewed in place, read through the storage library (a read-only
 * `greenroom-storage:` document): JSON and text (HTML too: shown as text, never rendered, so nothing an Actor wrote
 * runs) in an editor, images in VS Code's image preview, anything else (binary, or text too large for an editor) as
 * a message with its size and Save As….
 * From the palette it offers the records of a run's store. Returns what it showed, for tests and callers.
 */
import * as vscode from 'vscode';
import { runName } from '../../../engine';
import { formatSize, recordPreview, RecordPreview, StorageReader } from '../../../storage';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';
import { storageFileUri } from '../../storageFiles/storageFileSystem';

/** A record as a RecordNode (or a test) passes it. */
export interface RecordTarget {
  storageDir: string;
  storeId: string;
  name: string;
  key?: string;
  file: string;
  contentType: string;
}

/** Languages for records whose file name has no extension to tell (Python's bare keys). */
const LANGUAGE_OF_TYPE: [RegExp, string][] = [
  [/json/, 'json'],
  [/html/, 'html'],
  [/xml/, 'xml'],
  [/javascript|ecmascript/, 'javascript'],
  [/csv/, 'csv'],
  [/yaml/, 'yaml'],
];

export function registerOpenRecord(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openRecord', async (target?: RecordTarget | RunTarget) => {
    const record = target && 'file' in target ? target : await pickRecord(services, target, 'Open Record');
    if (!record) return undefined;
    try {
      return await openRecord(record);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot open the record ${record.key ?? record.name}: ${errorMessage(error)}`);
      return undefined;
    }
  });
}

async function openRecord(record: RecordTarget): Promise<{ shown: RecordPreview; uri: string }> {
  // Checked now, so a link planted in place of the record says so before anything opens.
  const { size } = new StorageReader(record.storageDir).checkRecordFile(record.storeId, record.name);
  const shown = recordPreview(record.contentType, size);
  const ref = { storageDir: record.storageDir, kind: 'key_value_stores' as const, id: record.storeId, name: record.name };
  const uri = storageFileUri(ref);
  if (shown === 'image') {
    // The image preview draws it as an image only (an SVG's scripts do not run there), read through the storage library too.
    await vscode.commands.executeCommand('vscode.openWith', uri, 'imagePreview.previewEditor', { preview: true });
    return { shown, uri: uri.toString() };
  }
  if (shown === 'text') {
    let document = await vscode.workspace.openTextDocument(uri);
    const language = LANGUAGE_OF_TYPE.find(([pattern]) => pattern.test(record.contentType))?.[1];
    if (language && document.languageId === 'plaintext') document = await vscode.languages.setTextDocumentLanguage(document, language);
    await vscode.window.showTextDocument(document, { preview: true });
    return { shown, uri: uri.toString() };
  }
  const what = shown === 'binary' ? `binary (${record.contentType})` : `${record.contentType}, too large to preview`;
  void vscode.window.showInformationMessage(`Record ${record.key ?? record.name} is ${what}, ${formatSize(size)}.`, 'Save As…').then((choice) => {
    if (choice) void vscode.commands.executeCommand('greenroom.saveRecordAs', record);
  });
  return { shown, uri: uri.toString() };
}

/** A record of a run's default store, picked by key. */
export async function pickRecord(services: Services, target: RunTarget, action: string): Promise<RecordTarget | undefined> {
  const picked = await pickRun(services, target, action);
  if (!picked) return undefined;
  const { run } = picked;
  const { storageDir } = run.greenroom;
  const storeId = run.defaultKeyValueStoreId;
  const records = new StorageReader(storageDir).keyValueRecords(storeId);
  if (!records.length) {
    void vscode.window.showInformationMessage(`The key-value store of ${run.id} has no records.`);
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    records.map((r) => ({ label: r.key, description: `${r.contentType} · ${formatSize(r.size)}`, record: r })),
    { title: `${action}: which record of ${runName(run)}?` },
  );
  return choice && { storageDir, storeId, ...choice.record };
}
