/**
 * Show Run Details: a read-only Markdown document (`greenroom-run:` scheme) with the run's status, timings,
 * options, stats, storages and output object, and the record itself; it follows the run while it changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { liveContainerUrl, RunRecord } from '../../engine';
import { diskFileSource, resolveActorFiles } from '../../validator';
import { ActorEntry, ActorRegistry } from '../actors/actorRegistry';
import { Coalescer } from '../coalescer';
import { runCharges } from '../../engine/chargeLedger';
import { ActorLayout } from '../../engine/recordStore';
import { readDispatches } from '../../platform/webhooks/webhooks';
import { formatBytes, formatDuration, formatRunCost, formatUsd } from '../tree/format';
import { runElapsedMillis } from '../tree/runs/runNodes';
import { OutputSchema, resolveOutput } from './outputObject';

export const RUN_DETAILS_SCHEME = 'greenroom-run';
const REDRAW_INTERVAL_MS = 250;

export function runDetailsUri(actor: ActorEntry, runId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_DETAILS_SCHEME, path: `/${runId}.md`, query: actor.root });
}

export class RunDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** An open document is re-rendered at most a few times a second, however often its run changes. */
  private readonly redraw = new Coalescer<string>(REDRAW_INTERVAL_MS, (uris) => {
    if (uris !== 'all') for (const uri of uris) this.changed.fire(vscode.Uri.parse(uri));
  });

  constructor(private readonly registry: ActorRegistry) {
    this.subscription = registry.onDidEngineEvent(({ actor, event }) => {
      if (event.type === 'run-status' || event.type === 'run-stats') {
        const runId = event.type === 'run-status' ? event.run.id : event.runId;
        const uri = runDetailsUri(actor, runId).toString();
        if (vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri)) this.redraw.add(uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const actor = this.registry.get(uri.query);
    const runId = path.basename(uri.path, '.md');
    const run = actor?.engine.getRun(runId);
    if (!actor || !run) return `# Run ${runId}\n\nThis run no longer exists.\n`;
    return renderRunDetails(actor, run);
  }

  dispose(): void {
    this.subscription.dispose();
    this.redraw.dispose();
    this.changed.dispose();
  }
}

function renderRunDetails(actor: ActorEntry, run: RunRecord): string {
  const cost = formatRunCost(runCharges(new ActorLayout(actor.root), run));
  const rows: [string, string][] = [
    ['Status', run.status + (run.exitCode !== null ? ` (exit code ${run.exitCode})` : '')],
    ['Status message', run.statusMessage ?? ''],
    ['Started', new Date(run.startedAt).toLocaleString()],
    ['Finished', run.finishedAt ? new Date(run.finishedAt).toLocaleString() : ''],
    ['Duration', formatDuration(runElapsedMillis(run))],
    ['Build', `${run.buildNumber} (${run.buildId})`],
    ['Origin', run.meta.origin],
    ['Called by', run.greenroom.caller ? `${run.greenroom.caller.actorName} run ${run.greenroom.caller.runId}` : ''],
    ['Calls', (run.greenroom.calls ?? []).map((call) => `${call.actorName} run ${call.runId}`).join(', ')],
    ['Task', run.greenroom.taskName ? `${run.greenroom.taskName} (${run.actorTaskId})` : ''],
    ['Schedule', run.greenroom.scheduleName ?? ''],
    ['Metamorphs', (run.metamorphs ?? []).map((m) => `${m.createdAt}: into ${run.greenroom.image?.actorName ?? m.actorId} (build ${m.buildId}, input ${m.inputKey})`).join('; ')],
    ['Reboots / migrations', run.stats.rebootCount || run.stats.migrationCount ? `${run.stats.rebootCount ?? 0} / ${run.stats.migrationCount ?? 0}` : ''],
    ['Memory', `${run.options.memoryMbytes} MB`],
    ['Timeout', `${run.options.timeoutSecs} s`],
    ['Cost (pay-per-event)', cost.detail + (cost.total && run.options.maxTotalChargeUsd !== undefined ? `, limit ${formatUsd(run.options.maxTotalChargeUsd)}` : '')],
    ['Charged events', cost.events],
    ['Memory used (avg / max)', [formatBytes(run.stats.memAvgBytes), formatBytes(run.stats.memMaxBytes)].filter(Boolean).join(' / ')],
    ['CPU (avg / max)', run.stats.cpuAvgUsage === undefined ? '' : `${run.stats.cpuAvgUsage.toFixed(1)} % / ${(run.stats.cpuMaxUsage ?? 0).toFixed(1)} %`],
    ['Dataset items', run.stats.datasetItemCount === undefined ? '' : String(run.stats.datasetItemCount)],
    ['Resurrections', String(run.stats.resurrectCount)],
    ['Container URL', containerUrlCell(run)],
    ['Storage', run.greenroom.storageDir + (run.greenroom.sharedStorage ? ' (shared)' : '')],
  ];
  const lines = [`# ${actor.name} — run ${run.id}`, '', '| | |', '|---|---|', ...rows.filter(([, v]) => v).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`), ''];
  const output = outputEntries(actor, run);
  lines.push('## Output', '');
  if (!output) lines.push('The Actor has no output schema.');
  else if (output.length === 0) lines.push('The output schema defines no properties.');
  else {
    for (const entry of output) {
      const target = entry.localPath ? vscode.Uri.file(entry.localPath).toString() : undefined;
      lines.push(`- **${entry.title}** (\`${entry.key}\`): ${target ? `[${entry.localPath}](${target})` : `\`${entry.value}\``}`);
    }
    lines.push('', '```json', JSON.stringify(Object.fromEntries(output.map((e) => [e.key, e.localPath ?? e.value])), null, 2), '```');
  }
  lines.push('', ...dispatchLines(actor, run));
  lines.push('', '## Run record', '', '```json', JSON.stringify(run, null, 2), '```', '');
  return lines.join('\n');
}

/** The run's webhook dispatches: each one's event, URL, status and every attempt (answer or error, time). */
function dispatchLines(actor: ActorEntry, run: RunRecord): string[] {
  const dispatches = readDispatches(new ActorLayout(actor.root), 'run', run.id);
  const lines = ['## Webhook dispatches', ''];
  if (!dispatches.length) return [...lines, 'None (webhooks: `.actor/webhooks.json`, the run option `webhooks`, `Actor.addWebhook()`).'];
  lines.push('| Event | URL | Status | Attempts |', '|---|---|---|---|');
  for (const dispatch of dispatches) {
    const attempts = dispatch.calls
      .map((call) => `${new Date(call.startedAt).toLocaleTimeString()}: ${call.responseStatus ?? call.errorMessage ?? '…'}`)
      .join('; ');
    const cells = [dispatch.eventType, dispatch.webhook.requestUrl, dispatch.status, attempts || 'sending'];
    lines.push(`| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines;
}

/** A link while the web server can answer; an ended run's URL as text (it no longer answers). */
function containerUrlCell(run: RunRecord): string {
  const live = liveContainerUrl(run);
  if (live) return `[${live}](${live})`;
  return run.containerUrl ? `\`${run.containerUrl}\` (served only while the run is RUNNING)` : '';
}

/** undefined when the Actor has no output schema. */
function outputEntries(actor: ActorEntry, run: RunRecord): ReturnType<typeof resolveOutput> | undefined {
  const file = resolveActorFiles(actor.root, diskFileSource).find((f) => f.role === 'output')?.path;
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    return resolveOutput(JSON.parse(fs.readFileSync(file, 'utf8')) as OutputSchema, run);
  } catch {
    return undefined;
  }
}
