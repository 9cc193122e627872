/** The Runs view's nodes: a run (status, build, origin, started, duration, status message) and its parts. */
import * as vscode from 'vscode';
import { isTerminal, liveContainerUrl, RunRecord, runName } from '../../../engine';
import { storageOf } from '../../../storage';
import type { ActorEntry } from '../../actors/actorRegistry';
import { runCharges } from '../../../engine/chargeLedger';
import { ActorLayout } from '../../../engine/recordStore';
import { formatDuration, statusIcon } from '../format';
import { formatRunCost } from '../../../engine/pricing';
import { runStorageNodes } from '../storages/storageNodes';
import { StaticNode, TreeNode } from '../treeNode';

/** Run time so far: earlier containers plus the current one (a resurrected run excludes the time it was stopped). */
export function runElapsedMillis(run: RunRecord, now = Date.now()): number {
  if (isTerminal(run.status) || !run.greenroom.segmentStartedAt) return run.stats.durationMillis;
  return run.greenroom.previousSegmentsMillis + (now - Date.parse(run.greenroom.segmentStartedAt));
}

export class RunNode implements TreeNode {
  constructor(
    readonly actor: ActorEntry,
    /** Replaced by the run's status events, so that the view redraws just this node. */
    public run: RunRecord,
  ) {}

  get actorRoot(): string {
    return this.actor.root;
  }
  get runId(): string {
    return this.run.id;
  }

  treeItem(): vscode.TreeItem {
    const { run } = this;
    const item = new vscode.TreeItem(runName(run), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `run:${this.actor.root}:${run.id}`;
    const duration = formatDuration(runElapsedMillis(run));
    const mode = [run.greenroom.devMode ? 'dev mode' : undefined, run.greenroom.debug ? 'debug' : undefined].filter(Boolean).join(', ');
    const cost = formatRunCost(runCharges(new ActorLayout(this.actor.root), run));
    const task = run.greenroom.taskName && `task ${run.greenroom.taskName}`;
    item.description = [run.status, duration, cost.total, run.buildNumber, mode || undefined, run.meta.origin === 'DEVELOPMENT' ? undefined : run.meta.origin, task, run.statusMessage ?? undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(run.status);
    const containerUrl = liveContainerUrl(run);
    item.tooltip = new vscode.MarkdownString(
      [
        `**${runName(run)}** — ${run.status} (id ${run.id})`,
        run.statusMessage ? `\n\n${run.statusMessage}` : '',
        `\n\nBuild ${run.buildNumber} · origin ${run.meta.origin} · started ${new Date(run.startedAt).toLocaleString()}`,
        duration ? ` · ${duration}` : '',
        cost.total ? `\n\nCost ${cost.detail}: ${cost.events}` : '',
        run.greenroom.sharedStorage ? '\n\nUses the shared `storage/`' : '',
        run.greenroom.devMode ? "\n\nDev mode: the Actor's source mounted over the build's image (no build)" : '',
        run.greenroom.debug ? `\n\nDebug run (${run.greenroom.debug.runtime}): the debugger on ${run.greenroom.debug.host}:${run.greenroom.debug.port}` : '',
        !isTerminal(run.status) ? (run.greenroom.atHome ? '\n\nAt home on the local Apify API' : '\n\nLocal mode (storages mounted)') : '',
        containerUrl ? `\n\nWeb server: [${containerUrl}](${containerUrl})` : '',
      ].join(''),
    );
    // `.web`: a live container URL, for Open Container URL; `.atHome`: on the local platform, for Migrate.
    const live = isTerminal(run.status) ? 'finished' : `running${containerUrl ? '.web' : ''}${run.greenroom.atHome ? '.atHome' : ''}`;
    item.contextValue = `greenroom.run.${live}`;
    item.command = { command: 'greenroom.showRunDetails', title: 'Show Run', arguments: [{ actorRoot: this.actor.root, runId: run.id }] };
    return item;
  }

  children(): TreeNode[] {
    const { run } = this;
    const storageDir = run.greenroom.storageDir;
    const storeId = run.defaultKeyValueStoreId;
    const name = `${run.greenroom.inputKey}.json`;
    // Through Open Record, which checks the file is no link an Actor planted before an editor opens it.
    const input = { storageDir, storeId, name, file: storageOf(storageDir, 'key_value_stores', storeId).file(name), contentType: 'application/json' };
    const links = [
      ...(run.greenroom.caller ? [{ label: 'Called by', link: run.greenroom.caller }] : []),
      ...(run.greenroom.calls ?? []).map((link) => ({ label: 'Called', link })),
    ].map(({ label, link }) =>
      leaf(`${label} ${link.actorName}`, 'call-outgoing', { command: 'greenroom.showRunDetails', title: 'Show Run', arguments: [{ actorRoot: link.actorRoot, runId: link.runId }] }, `run ${link.runId}`),
    );
    return [
      ...links,
      leaf('Log', 'output', { command: 'greenroom.showLog', title: 'Show Log', arguments: [this] }),
      leaf('Input', 'symbol-parameter', { command: 'greenroom.openRecord', title: 'Open Input', arguments: [input] }),
      leaf('Output', 'export', { command: 'greenroom.showRunDetails', title: 'Show Run', arguments: [{ actorRoot: this.actor.root, runId: run.id }] }),
      ...runStorageNodes(this.actor.root, run),
    ];
  }
}

function leaf(label: string, icon: string, command: vscode.Command, description?: string): TreeNode {
  const item = new vscode.TreeItem(label);
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.command = command;
  return new StaticNode(item);
}
