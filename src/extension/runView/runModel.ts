/**
 * What the run view shows of a run, as plain data for its webview: the header, the buttons that apply, the tabs,
 * the input, the output entries resolved into the run's storages, and the storages with their counts and sizes.
 */
import * as fs from 'fs';
import { isTerminal, liveContainerUrl, RunRecord, runName } from '../../engine';
import { readJsonRecordText, StorageKind, StorageReader } from '../../storage';
import { diskFileSource, resolveActorFiles } from '../../validator';
import type { RunActionButton, RunTab, RunViewModel, ShownCharges, ShownOutput, ShownStorage } from '../../webviewProtocols/runView';
import type { ActorEntry } from '../actors/actorRegistry';
import { OutputEntry, OutputSchema, resolveOutput } from '../runs/outputObject';
import { runChargeLog, TimedCharge } from '../../engine/chargeLedger';
import { formatRunCost, formatUsd, PayPerEventPricing, RunCost, runCost } from '../../engine/pricing';
import { ActorLayout } from '../../engine/recordStore';
import { readDispatches } from '../../platform/webhooks/webhooks';
import { formatBytes, formatDuration, recordsSummary } from '../tree/format';
import { runElapsedMillis } from '../tree/runs/runNodes';

/** A header button and what it does; other parts of Greenroom contribute theirs through `RunActionProvider`s. */
export interface RunAction extends RunActionButton {
  /** The command to run with `{ actorRoot, runId }`. */
  command: string;
}

/** Adds buttons for a run (e.g. Debug); called each time the header is drawn. */
export type RunActionProvider = (actor: ActorEntry, run: RunRecord) => RunAction[];

/** The built-in buttons, by what the run's state allows (the same conditions as the Runs view's menus). */
export function builtInActions(_actor: ActorEntry, run: RunRecord): RunAction[] {
  if (!isTerminal(run.status)) {
    return [
      { id: 'abortGracefully', label: 'Abort gracefully', title: 'Let the Actor finish its work (the aborting event or SIGINT), then stop it', command: 'greenroom.abort', primary: true },
      { id: 'abort', label: 'Abort', title: 'Stop the container now', command: 'greenroom.abortImmediately' },
      ...(run.greenroom.atHome ? [{ id: 'migrate', label: 'Migrate', title: 'Send migrating, then continue in a new container on the same storages', command: 'greenroom.migrate' }] : []),
    ];
  }
  return [
    { id: 'rerun', label: 'Rerun', title: 'Start a new run with the same input, build, memory and timeout', command: 'greenroom.rerun', primary: true },
    { id: 'resurrect', label: 'Resurrect', title: 'Continue this run in a new container on the same storages', command: 'greenroom.resurrect' },
  ];
}

/** The tabs: a run's own parts, in the Console's order; Charges only for a pay-per-event run. */
const RUN_TABS: RunTab[] = [
  { id: 'log', title: 'Log' },
  { id: 'input', title: 'Input' },
  { id: 'output', title: 'Output' },
  { id: 'storage', title: 'Storage' },
  { id: 'charts', title: 'Charts' },
];
const CHARGES_TAB: RunTab = { id: 'charges', title: 'Charges' };
/** The Charges tab lists this many of the newest charges (an Actor may charge per item, millions of times). */
const SHOWN_CHARGES = 1000;

export function runViewModel(actor: ActorEntry, run: RunRecord, actions: RunAction[]): RunViewModel {
  const { stats, options } = run;
  const layout = new ActorLayout(actor.root);
  const charged = runChargeLog(layout, run);
  const chargedCost = charged && runCost(charged.pricing, charged.charges, options.maxTotalChargeUsd);
  const cost = formatRunCost(chargedCost);
  const dispatches = readDispatches(layout, 'run', run.id);
  const fields: [string, string][] = [
    ['Started', new Date(run.startedAt).toLocaleString()],
    ['Finished', run.finishedAt ? new Date(run.finishedAt).toLocaleString() : ''],
    ['Duration', formatDuration(runElapsedMillis(run))],
    ['Build', run.buildNumber],
    ['Origin', run.meta.origin],
    ['Called by', run.greenroom.caller ? `${run.greenroom.caller.actorName} run ${run.greenroom.caller.runId}` : ''],
    ['Calls', (run.greenroom.calls ?? []).map((call) => `${call.actorName} run ${call.runId}`).join(', ')],
    ['Task', run.greenroom.taskName ? `${run.greenroom.taskName} (${run.actorTaskId})` : ''],
    ['Schedule', run.greenroom.scheduleName ?? ''],
    ['Metamorphs', (run.metamorphs ?? []).map((m) => `${m.createdAt}: into ${run.greenroom.image?.actorName ?? m.actorId} (build ${m.buildId}, input ${m.inputKey})`).join('; ')],
    ['Reboots / migrations', run.stats.rebootCount || run.stats.migrationCount ? `${run.stats.rebootCount ?? 0} / ${run.stats.migrationCount ?? 0}` : ''],
    ['Exit code', run.exitCode === null ? '' : String(run.exitCode)],
    ['Memory', `${options.memoryMbytes} MB`],
    ['Timeout', options.timeoutSecs ? formatDuration(options.timeoutSecs * 1000) : 'none'],
    ['Memory used', [formatBytes(stats.memAvgBytes), formatBytes(stats.memMaxBytes)].filter(Boolean).join(' avg · ') + (stats.memMaxBytes !== undefined ? ' max' : '')],
    ['CPU', stats.cpuAvgUsage === undefined ? '' : `${stats.cpuAvgUsage.toFixed(1)} % avg · ${(stats.cpuMaxUsage ?? 0).toFixed(1)} % max`],
    ['Cost (pay-per-event)', cost.detail + (cost.total && run.options.maxTotalChargeUsd !== undefined ? `, limit ${formatUsd(run.options.maxTotalChargeUsd)}` : '')],
    ['Charged events', cost.events],
    ['Webhook dispatches', dispatches.map((dispatch) => `${dispatch.eventType} → ${dispatch.webhook.requestUrl}: ${dispatch.status}`).join('; ')],
    ['Container URL', liveContainerUrl(run) ?? ''],
    ['Resurrections', stats.resurrectCount ? String(stats.resurrectCount) : ''],
    ['Run id', run.id],
  ];
  return {
    title: `${actor.name} · ${runName(run)}`,
    status: run.status,
    statusMessage: run.statusMessage ?? '',
    fields: fields.filter(([, value]) => value),
    actions: actions.map(({ id, label, title, primary }) => ({ id, label, title, primary })),
    tabs: charged ? [...RUN_TABS, CHARGES_TAB] : RUN_TABS,
    input: inputText(run),
    output: shownOutput(outputEntries(actor, run)),
    storages: runStorages(run),
    charges: charged && chargedCost && shownCharges(charged.pricing, chargedCost, charged.charges, options.maxTotalChargeUsd),
    memoryLimitBytes: options.memoryMbytes * 1024 * 1024,
    live: !isTerminal(run.status),
  };
}

function shownCharges(pricing: PayPerEventPricing, cost: RunCost, log: TimedCharge[], limitUsd: number | undefined): ShownCharges {
  const priced = pricing.pricingPerEvent.actorChargeEvents;
  const names = [...Object.keys(priced), ...Object.keys(cost.chargedEventCounts).filter((name) => !(name in priced))];
  const events = names.map((name) => {
    const price = priced[name]?.eventPriceUsd;
    const accountedCount = cost.accountedChargedEventCounts[name] ?? 0;
    return {
      name,
      title: priced[name]?.eventTitle ?? '(not in the pricing: charged at $0)',
      price: price === undefined ? '' : formatUsd(price),
      count: cost.chargedEventCounts[name] ?? 0,
      accountedCount,
      cost: formatUsd(accountedCount * (price ?? 0)),
    };
  });
  return {
    events,
    total: formatRunCost(cost).detail,
    limit: limitUsd === undefined ? '' : formatUsd(limitUsd),
    log: log.slice(-SHOWN_CHARGES).map(({ at, eventName, count }) => [at, eventName, count]),
    logTotal: log.length,
  };
}

function inputText(run: RunRecord): string {
  try {
    const text = readJsonRecordText(run.greenroom.storageDir, run.defaultKeyValueStoreId, run.greenroom.inputKey);
    if (text === undefined) return '';
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (error) {
    return `The input record cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The output schema's entries; a string saying why there are none. */
export function outputEntries(actor: ActorEntry, run: RunRecord): OutputEntry[] | string {
  const file = resolveActorFiles(actor.root, diskFileSource).find((f) => f.role === 'output')?.path;
  if (!file || !fs.existsSync(file)) return 'The Actor has no output schema.';
  try {
    const entries = resolveOutput(JSON.parse(fs.readFileSync(file, 'utf8')) as OutputSchema, run);
    return entries.length ? entries : 'The output schema defines no properties.';
  } catch (error) {
    return `The output schema cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function shownOutput(entries: OutputEntry[] | string): ShownOutput[] | string {
  if (typeof entries === 'string') return entries;
  return entries.map((entry) => ({ title: entry.title, key: entry.key, text: entry.localPath ?? entry.value, opens: opensAs(entry) }));
}

export function opensAs(entry: OutputEntry): ShownOutput['opens'] {
  if (entry.localPath) {
    if (/[\\/]datasets[\\/][^\\/]+$/.test(entry.localPath)) return 'dataset';
    return fs.existsSync(entry.localPath) && fs.statSync(entry.localPath).isDirectory() ? 'folder' : 'record';
  }
  return /^https?:\/\//i.test(entry.value) ? 'url' : undefined;
}

const KIND_NAMES: Record<StorageKind, ShownStorage['kind']> = { datasets: 'Dataset', key_value_stores: 'Key-value store', request_queues: 'Request queue' };
const ALIAS_KINDS: [keyof NonNullable<RunRecord['storageIds']>, StorageKind][] = [
  ['datasets', 'datasets'],
  ['keyValueStores', 'key_value_stores'],
  ['requestQueues', 'request_queues'],
];

/** The default storages first, then the named ones (actor.json `storages` aliases), with counts and sizes. */
export function runStorages(run: RunRecord): (ShownStorage & { storageKind: StorageKind })[] {
  const reader = new StorageReader(run.greenroom.storageDir);
  const entries: [StorageKind, string, string][] = [
    ['datasets', 'default', run.defaultDatasetId],
    ['key_value_stores', 'default', run.defaultKeyValueStoreId],
    ['request_queues', 'default', run.defaultRequestQueueId],
  ];
  for (const [field, kind] of ALIAS_KINDS) {
    for (const [alias, id] of Object.entries(run.storageIds?.[field] ?? {})) if (alias !== 'default') entries.push([kind, alias, id]);
  }
  return entries.map(([kind, name, id]) => ({ kind: KIND_NAMES[kind], storageKind: kind, name, id, summary: storageSummary(reader, kind, id) }));
}

function storageSummary(reader: StorageReader, kind: StorageKind, id: string): string {
  try {
    if (kind === 'key_value_stores') {
      return recordsSummary(reader.keyValueRecords(id));
    }
    const count = reader.count(kind, id);
    return `${count} ${kind === 'datasets' ? 'item' : 'request'}${count === 1 ? '' : 's'}`;
  } catch {
    return 'not created yet';
  }
}
