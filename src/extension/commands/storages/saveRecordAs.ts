/**
 * Actor: Save Record As… — copies a key-value record (or any file a read-only storage document shows) to a file the
 * user picks, as a stream through the storage library, so a record of any size is saved without being held in
 * memory. From a record row, the preview's title bar (its URI), the palette (the active preview, else a picked
 * record). `options.file` stands in for the save dialog (tests, callers that know where). Returns the file written.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { formatSize } from '../../../storage';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { RunTarget } from '../../services/targets';
import { STORAGE_SCHEME, StorageFileRef, storageFileOf, storageFolderOf } from '../../storageFiles/storageFileSystem';
import { pickRecord, RecordTarget } from './openRecord';

export function registerSaveRecordAs(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.saveRecordAs', async (target?: RecordTarget | vscode.Uri | RunTarget, options?: { file?: string }) => {
    let ref: StorageFileRef | undefined;
    try {
      ref = await fileToSave(services, target);
    } catch (error) {
      void vscode.window.showErrorMessage(`Save As: ${errorMessage(error)}`);
      return undefined;
    }
    if (!ref) return undefined;
    const file =
      options?.file ??
      (
        await vscode.window.showSaveDialog({
          title: `Save ${ref.name} as`,
          defaultUri: vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? ref.storageDir, ref.name)),
        })
      )?.fsPath;
    if (!file) return undefined;
    try {
      const bytes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving ${ref.name} to ${path.basename(file)}` }, () =>
        storageFolderOf(ref).copyOut(ref.name, file),
      );
      if (!options?.file) void vscode.window.showInformationMessage(`Saved ${ref.name} (${formatSize(bytes)}) to ${file}`);
      return file;
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot save ${ref.name} to ${file}: ${errorMessage(error)}`);
      return undefined;
    }
  });
}

async function fileToSave(services: Services, target: RecordTarget | vscode.Uri | RunTarget | undefined): Promise<StorageFileRef | undefined> {
  if (target instanceof vscode.Uri) return storageFileOf(target);
  if (target && 'file' in target) return { storageDir: target.storageDir, kind: 'key_value_stores', id: target.storeId, name: target.name };
  const shown = activeResource();
  if (!target && shown) return storageFileOf(shown);
  const record = await pickRecord(services, target, 'Save Record As');
  return record && { storageDir: record.storageDir, kind: 'key_value_stores', id: record.storeId, name: record.name };
}

/** The active tab's storage file: a read-only storage document or a record in the image preview. */
function activeResource(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  return uri?.scheme === STORAGE_SCHEME ? uri : undefined;
}
