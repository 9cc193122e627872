/** One viewer per dataset: opening it again reveals it; VS Code restores open viewers after a reload (serializer). */
import * as vscode from 'vscode';
import { DATASET_VIEWER_VIEW_TYPE, DatasetViewerPanel, datasetDirOf } from './datasetViewerPanel';
import { DatasetLocation, ViewerState, ViewerTestAction } from '../../webviewProtocols/datasetViewer';
import { TEST_HOOKS } from '../testHooks';

export class DatasetViewers implements vscode.Disposable {
  private readonly open = new Map<string, DatasetViewerPanel>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.registrations = [
      vscode.window.registerWebviewPanelSerializer(DATASET_VIEWER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: ViewerState | undefined) => {
          // A panel saved before its first page arrived does not know its dataset.
          if (!state?.location) return panel.dispose();
          this.track(DatasetViewerPanel.create(state.location, this.extensionUri, panel));
        },
      }),
      vscode.commands.registerCommand(TEST_HOOKS.datasetViewer, (datasetDir: string, action: ViewerTestAction) => {
        const viewer = this.open.get(datasetDir);
        if (!viewer) throw new Error(`no dataset viewer is open for ${datasetDir}`);
        return viewer.runTestAction(action);
      }),
    ];
  }

  /** Shows the dataset's viewer (revealing it when open) and returns the dataset folder, the viewer's key. */
  show(location: DatasetLocation): string {
    const datasetDir = datasetDirOf(location);
    const existing = this.open.get(datasetDir);
    if (existing) existing.reveal();
    else this.track(DatasetViewerPanel.create(location, this.extensionUri));
    return datasetDir;
  }

  dispose(): void {
    for (const viewer of this.open.values()) viewer.dispose();
    for (const registration of this.registrations) registration.dispose();
  }

  private track(viewer: DatasetViewerPanel): void {
    this.open.set(viewer.datasetDir, viewer);
    viewer.onDidDispose(() => this.open.delete(viewer.datasetDir));
  }
}
