/**
 * A run's pay-per-event charges: `.greenroom/runs/<runId>.charges.jsonl`, one JSON line per charge
 * (`{eventName, count, chargedAt, idempotencyKey?}`), appended by whichever process charges (the engine at a start
 * or resurrection, the local API for `Actor.charge()` and default-dataset items). A file of its own rather than
 * fields in the record: the process following the run rewrites the record, and a charge must never be lost to that.
 * The counts, the accounted part and the cost are computed from it (pricing.ts runCost).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import type { ActorLayout } from './recordStore';
import { Charge, isPayPerEvent, RunCost, runCost } from './pricing';
import type { RunRecord } from './types';

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

/** The run's charges and cost; undefined for a run without pay-per-event pricing. */
export function runCharges(layout: ActorLayout, run: RunRecord): RunCost | undefined {
  if (!isPayPerEvent(run.pricingInfo)) return undefined;
  return runCost(run.pricingInfo, readCharges(layout, run.id), run.options.maxTotalChargeUsd);
}
