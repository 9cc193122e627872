/**
 * A run's pay-per-event charges: `.greenroom/runs/<runId>.charges.jsonl`, one JSON line per charge
 * (`{eventName, count, chargedAt, idempotencyKey?}`), appended by whichever process charges (the engine at a start
 * or resurrection, the local API for `Actor.charge()` and default-dataset items). A file of its own rather than
 * fields in the record: the process following the run rewrites the record, and a charge must never be lost to that.
 * The counts, the accounted part and the cost are computed from it (pricing.ts runCost). In local mode there is no
 * API to charge through: the SDK logs each charge as an item of the run's `charging_log` dataset
 * (`{eventName, eventTitle, eventPriceUsd, chargedCount, timestamp}`), read here beside the ledger (which holds the
 * synthetic start event the engine charges).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { ActorLayout } from './recordStore';
import { Charge, isPayPerEvent, PayPerEventPricing, RunCost, runCost } from './pricing';
import type { RunRecord } from './types';
import { StorageReader } from '../storage';

/** The SDK's LOCAL_CHARGING_LOG_DATASET_NAME. */
export const LOCAL_CHARGING_LOG_DATASET = 'charging_log';

export interface LedgerEntry extends Charge {
  chargedAt: string;
  idempotencyKey?: string;
}

export function readCharges(layout: ActorLayout, runId: string): LedgerEntry[] {
  let text: string;
  try {
    text = readFileSync(layout.runCharges(runId), 'utf8');
  } catch {
    return [];
  }
  const entries: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch {
      // A line cut short by a crash mid-append: that charge never completed (its caller got no answer).
    }
  }
  return entries;
}

/**
 * Records a charge; false when a charge with the same idempotency key is already recorded (a client's retry),
 * which then counts once.
 */
export function appendCharge(layout: ActorLayout, runId: string, charge: Charge & { idempotencyKey?: string }, now = new Date()): boolean {
  if (charge.idempotencyKey !== undefined && readCharges(layout, runId).some((entry) => entry.idempotencyKey === charge.idempotencyKey)) return false;
  const entry: LedgerEntry = { eventName: charge.eventName, count: charge.count, chargedAt: now.toISOString(), ...(charge.idempotencyKey !== undefined && { idempotencyKey: charge.idempotencyKey }) };
  appendFileSync(layout.runCharges(runId), JSON.stringify(entry) + '\n');
  return true;
}

/** A charge as the run view lists it: what was charged, how many, and when. */
export interface TimedCharge {
  eventName: string;
  count: number;
  at: string;
}

/** A pay-per-event run's pricing and its charges in the order they came; undefined for a run without such pricing. */
export function runChargeLog(layout: ActorLayout, run: RunRecord): { pricing: PayPerEventPricing; charges: TimedCharge[] } | undefined {
  if (!isPayPerEvent(run.pricingInfo)) return undefined;
  const charges: TimedCharge[] = readCharges(layout, run.id).map(({ eventName, count, chargedAt }) => ({ eventName, count, at: chargedAt }));
  if (!run.greenroom.atHome) charges.push(...localChargingLog(run));
  return { pricing: run.pricingInfo, charges: charges.sort((a, b) => a.at.localeCompare(b.at)) };
}

/** The run's charges and cost; undefined for a run without pay-per-event pricing. */
export function runCharges(layout: ActorLayout, run: RunRecord): RunCost | undefined {
  const log = runChargeLog(layout, run);
  return log && runCost(log.pricing, log.charges, run.options.maxTotalChargeUsd);
}

/** The charges the SDK logged in local mode (on shared storage the log outlives runs: only this run's, by time). */
function localChargingLog(run: RunRecord): TimedCharge[] {
  const reader = new StorageReader(run.greenroom.storageDir);
  if (!reader.storageIds('datasets').includes(LOCAL_CHARGING_LOG_DATASET)) return [];
  const charges: TimedCharge[] = [];
  for (const item of reader.datasetItems(LOCAL_CHARGING_LOG_DATASET)) {
    const { eventName, chargedCount, timestamp } = (item ?? {}) as Record<string, unknown>;
    if (typeof eventName !== 'string' || typeof chargedCount !== 'number' || typeof timestamp !== 'string' || timestamp < run.startedAt) continue;
    if (chargedCount > 0) charges.push({ eventName, count: chargedCount, at: timestamp });
  }
  return charges;
}
