/**
 * Actor: Export Dataset… — a run's dataset (or any dataset in the Storages view) to JSON, JSONL, CSV, XML, HTML,
 * RSS or Excel (xlsx), as raw items or through a view of the dataset schema, with the platform's item options over
 * it (fields, omit, unwind, …: the dataset viewer's export dialog gives them), streamed to the chosen file so that
 * even a 1,000,000-item dataset never sits in memory.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { StorageReader } from '../../../storage';
import { datasetRows, DatasetView, ItemOptions, readDatasetView, readDatasetViews } from '../../../storage/datasetViews';
import { EXPORT_FORMATS, ExportFormat, exportDatasetToFile } from '../../../storage/export/datasetExport';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

type DatasetTarget = { actorRoot: string; storageDir: string; id: string; kind: 'datasets' } | RunTarget;

/**
 * What the pickers would ask, when the caller knows (the dataset viewer, tests, keybindings). `view`: a view id of
 * the dataset schema, or null for the raw items; when it is left out, raw items if the caller gave the format, else asked.
 */
interface ExportOptions {
  format?: ExportFormat;
  file?: string;
  view?: string | null;
  /** The platform's item options over the view (or the raw items). */
  items?: ItemOptions;
}

/** The save dialog's name for a format's files, where it is not just the extension in capitals. */
const FILE_TYPE_NAMES: Partial<Record<ExportFormat, string>> = { xlsx: 'Excel' };

export function registerExportDataset(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.exportDataset', async (target?: DatasetTarget, options?: ExportOptions) => {
    const dataset = target && 'storageDir' in target ? target : await datasetOfRun(services, target);
    if (!dataset) return undefined;
    const format = options?.format ?? (await vscode.window.showQuickPick([...EXPORT_FORMATS], { title: `Export dataset ${dataset.id} as` }));
    if (!format) return undefined;
    let view: DatasetView | undefined | null;
    try {
      view = options?.view !== undefined ? viewOf(dataset.actorRoot, options.view) : options?.format ? undefined : await pickView(dataset.actorRoot);
    } catch (error) {
      void vscode.window.showErrorMessage(`Export of dataset ${dataset.id}: ${errorMessage(error)}`);
      return undefined;
    }
    if (view === null) return undefined;
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
        () => exportDatasetToFile(datasetRows(reader, dataset.id, view, options?.items), format as ExportFormat, file, { title: view ? `Dataset ${dataset.id}: ${view.title}` : `Dataset ${dataset.id}` }),
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

async function datasetOfRun(services: Services, target: RunTarget): Promise<{ actorRoot: string; storageDir: string; id: string } | undefined> {
  const picked = await pickRun(services, target, 'Export Dataset');
  return picked && { actorRoot: picked.actor.root, storageDir: picked.run.greenroom.storageDir, id: picked.run.defaultDatasetId };
}

function viewOf(actorRoot: string, viewId: string | null): DatasetView | undefined {
  return viewId === null ? undefined : readDatasetView(actorRoot, viewId);
}

/** Raw items, or one of the dataset schema's views (asked only when there are views); null when the user cancels. */
async function pickView(actorRoot: string): Promise<DatasetView | undefined | null> {
  let views: DatasetView[];
  try {
    views = readDatasetViews(actorRoot);
  } catch (error) {
    void vscode.window.showWarningMessage(`Exporting raw items: ${errorMessage(error)}`);
    return undefined;
  }
  if (!views.length) return undefined;
  const choices = [
    { label: 'All fields', description: 'the raw items', view: undefined },
    ...views.map((view) => ({ label: view.title, description: `view "${view.id}"`, view })),
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: 'Export which rows?' });
  return choice ? choice.view : null;
}
