/**
 * Actor: Export Dataset… — a run's dataset (or any dataset in the Storages view) to JSON, JSONL, CSV, XML, HTML,
 * RSS or Excel (xlsx), streamed to the chosen file so that even a 1,000,000-item dataset never sits in memory.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { StorageReader } from '../../../engine';
import { EXPORT_FORMATS, ExportFormat, exportDatasetToFile } from '../../../engine/export/datasetExport';
import { errorMessage, pickRun, RunTarget, Services } from '../services';

type DatasetTarget = { storageDir: string; id: string; kind: 'datasets' } | RunTarget;

/** The save dialog's name for a format's files, where it is not just the extension in capitals. */
const FILE_TYPE_NAMES: Partial<Record<ExportFormat, string>> = { xlsx: 'Excel' };

export function registerExportDataset(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.exportDataset', async (target?: DatasetTarget, options?: { format?: ExportFormat; file?: string }) => {
    const dataset = target && 'storageDir' in target ? target : await datasetOfRun(services, target);
    if (!dataset) return undefined;
    const format = options?.format ?? (await vscode.window.showQuickPick([...EXPORT_FORMATS], { title: `Export dataset ${dataset.id} as` }));
    if (!format) return undefined;
    const file =
      options?.file ??
      (
        await vscode.window.showSaveDialog({
          title: 'Export dataset to',
          defaultUri: vscode.Uri.file(path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dataset.storageDir, `dataset-${dataset.id}.${format}`)),
          filters: { [FILE_TYPE_NAMES[format as ExportFormat] ?? format.toUpperCase()]: [format] },
        })
      )?.fsPath;
    if (!file) return undefined;
    const reader = new StorageReader(dataset.storageDir);
    try {
      const count = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Exporting dataset ${dataset.id} to ${path.basename(file)}` },
        () => exportDatasetToFile(() => reader.datasetItems(dataset.id), format as ExportFormat, file, { title: `Dataset ${dataset.id}` }),
      );
      if (!options?.file) {
        void vscode.window.showInformationMessage(`Exported ${count} item(s) to ${file}`, 'Open').then((choice) => {
          if (choice) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
        });
      }
      return count;
    } catch (error) {
      void vscode.window.showErrorMessage(`Export of dataset ${dataset.id} failed: ${errorMessage(error)}`);
      return undefined;
    }
  });
}

async function datasetOfRun(services: Services, target: RunTarget): Promise<{ storageDir: string; id: string } | undefined> {
  const picked = await pickRun(services, target, 'Export Dataset');
  return picked && { storageDir: picked.run.greenroom.storageDir, id: picked.run.defaultDatasetId };
}
