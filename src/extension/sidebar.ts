/** The Actor sidebar and everything around it: engines per Actor, views, commands, log terminals, status bar, tasks. */
import * as vscode from 'vscode';
import { ActorRegistry } from './actors/actorRegistry';
import { registerBuild } from './commands/actor/build';
import { registerOpenStandbyUrl } from './commands/actor/openStandbyUrl';
import { registerPurgeSharedStorage } from './commands/actor/purgeSharedStorage';
import { registerRefresh } from './commands/actor/refresh';
import { registerDeleteBuild } from './commands/builds/deleteBuild';
import { registerSetBuildTag } from './commands/builds/setBuildTag';
import { registerAbort } from './commands/runs/abort';
import { registerAbortImmediately } from './commands/runs/abortImmediately';
import { registerDeleteRun } from './commands/runs/deleteRun';
import { registerOpenContainerUrl } from './commands/runs/openContainerUrl';
import { registerMigrate } from './commands/runs/migrate';
import { registerDebug } from './commands/runs/debug';
import { registerResurrect } from './commands/runs/resurrect';
import { registerRun } from './commands/runs/run';
import { registerRunSharedStorage } from './commands/runs/runSharedStorage';
import { registerRunWithOptions } from './commands/runs/runWithOptions';
import { registerShowLog } from './commands/runs/showLog';
import { registerRerun } from './commands/runs/rerun';
import { registerRunViewLinks, registerShowRunDetails } from './commands/runs/showRunDetails';
import { Services } from './services/services';
import { registerExportDataset } from './commands/storages/exportDataset';
import { registerOpenDatasetViewer } from './commands/storages/openDatasetViewer';
import { registerOpenRecord } from './commands/storages/openRecord';
import { registerSaveRecordAs } from './commands/storages/saveRecordAs';
import { registerStorageFileSystem } from './storageFiles/storageFileSystem';
import { ActorDebugSessions, registerDebugging } from './debug/registerDebugging';
import { registerRunOnSave } from './debug/runOnSave';
import { LogTerminals } from './runs/logTerminals';
import { RunViews } from './runView/runViews';
import { registerRunStatusBar } from './runs/runStatusBar';
import { registerLocalApi } from './services/localApi';
import { registerActorTasks } from './tasks/actorTaskProvider';
import { registerBuildsView } from './tree/builds/buildsView';
import { registerRunsView } from './tree/runs/runsView';
import { registerStoragesView } from './tree/storages/storagesView';
import { registerTasksView } from './tree/tasks/tasksView';

/** Returns the Actor registry, which the input form shares. */
export function activateSidebar(context: vscode.ExtensionContext): ActorRegistry {
  const registry = new ActorRegistry();
  const logs = new LogTerminals();
  const services: Services = { registry, logs };
  const runViews = (services.runViews = new RunViews(services, context.extensionUri));
  const debugSessions = new ActorDebugSessions();
  context.subscriptions.push(
    registry,
    logs,
    runViews,
    registerRunViewLinks(),
    registerRunsView(registry),
    registerBuildsView(registry),
    registerStoragesView(registry),
    registerTasksView(services),
    registerRunStatusBar(registry),
    registerLocalApi(registry.localApi),
    registerActorTasks(registry),
    registerBuild(services),
    registerRun(services),
    registerRunWithOptions(services),
    registerRunSharedStorage(services),
    registerAbort(services, true),
    registerAbortImmediately(services),
    registerMigrate(services),
    registerResurrect(services),
    registerDebug(services),
    registerDebugging(services, debugSessions),
    registerRunOnSave(services, debugSessions, context.workspaceState),
    registerShowLog(services),
    registerShowRunDetails(services, runViews),
    registerRerun(services),
    registerOpenContainerUrl(services),
    registerOpenStandbyUrl(services),
    registerDeleteRun(services),
    registerSetBuildTag(services),
    registerDeleteBuild(services),
    registerStorageFileSystem(),
    registerOpenRecord(services),
    registerSaveRecordAs(services),
    registerExportDataset(services),
    registerOpenDatasetViewer(services, context.extensionUri),
    registerPurgeSharedStorage(services),
    registerRefresh(services),
  );
  void registry.discover();
  return registry;
}
