/**
 * The internal commands the VS Code tests (test/vscode/suite) drive and read the extension through: the extension
 * API cannot read tree views, the status bar, context keys or a webview's page. package.json does not contribute
 * them, so the Command Palette does not offer them. The extension registers them under these ids and the tests
 * import the ids from here.
 */
import type { Command } from 'vscode';

export const TEST_HOOKS = {
  /** (actorRoot, TestAction of src/webviewProtocols/inputForm.ts, taskName?) → the reply of the page of the Actor's input form, or of the task's. */
  inputForm: 'greenroom.inputForm._testHook',
  /** (datasetDir, ViewerTestAction of src/webviewProtocols/datasetViewer.ts) → the dataset viewer page's reply. */
  datasetViewer: 'greenroom.datasetViewer._testHook',
  /** () → DrawnItem[]: the Builds view as drawn. */
  buildsView: 'greenroom.builds._testSnapshot',
  /** () → DrawnItem[]: the Tasks view as drawn (tasks and schedules). */
  tasksView: 'greenroom.tasks._testSnapshot',
  /** (expandIds?: string[]) → DrawnItem[]: the Storages view as drawn, with the items of those ids expanded too, and the tooltips made on hover. */
  storagesView: 'greenroom.storages._testSnapshot',
  /** () → DrawnItem[]: the Runs view as drawn. */
  runsView: 'greenroom.runs._testSnapshot',
  /** () → string | undefined: the Runs view's message (why Docker cannot be used). */
  runsViewMessage: 'greenroom.runs._testMessage',
  /** () → StatusBarSnapshot: the active run's status-bar item. */
  runStatusBar: 'greenroom.runStatusBar._testSnapshot',
  /** () → LogTerminalSnapshot[]: the open log terminals. */
  logTerminals: 'greenroom.logTerminals._testSnapshot',
  /** ({ actorRoot, runId }, RunViewTestAction of src/webviewProtocols/runView.ts) → the run view page's reply. */
  runView: 'greenroom.runView._testHook',
  /** ({ actorRoot, runId }) → performance.now() in the extension host when the run view reported its first drawing. */
  runViewPaint: 'greenroom.runView._testPaint',
  /** () → Record<string, unknown>: the context keys Greenroom set (welcome content and menus depend on them). */
  contextKeys: 'greenroom._testContext',
} as const;

/** An item as a view draws it: every item visible without a click (see drawnItems in tree/treeNode.ts). */
export interface DrawnItem {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  /** The tree item's id (what the Storages view's test hook expands by). */
  id?: string;
  command?: string;
  /** The label of the expanded item it is drawn under. */
  parent?: string;
  actorRoot?: string;
  runId?: string;
  buildId?: string;
}

export interface StatusBarSnapshot {
  visible: boolean;
  text: string;
  tooltip?: string;
  /** What a click runs. */
  command?: Command;
}

/** A log terminal as printed so far (the API cannot read a terminal's text). */
export interface LogTerminalSnapshot {
  name: string;
  /** The run's or build's id. */
  id: string;
  /** The last few lines written to the terminal, oldest first (not those still waiting for the next write). */
  lastLines: string[];
  /** VS Code opened the terminal (it prints nothing before). */
  opened: boolean;
  /** The end of the run or build has been printed. */
  ended: boolean;
}
