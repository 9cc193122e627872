/**
 * Pay-per-event pricing (docs/platform.md#pay-per-event): where an Actor's prices come from, and what a run's
 * charges cost. Two sources, the newer one wins:
 *   - `.actor/pay_per_event.json`, committed with the Actor: `{ "<event>": { "eventTitle", "eventPriceUsd",
 *     "eventDescription"? } }` (the file Apify's own Actor templates keep their events in);
 *   - `pricingInfos` set through the API (`PUT /v2/acts/:actorId`, as the SDK's e2e tests do), kept in
 *     `.greenroom/pricing.json` with the time it was set.
 * A run takes its Actor's pricing when it starts (the platform's `run.pricingInfo`), so a change applies to new runs.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { GREENROOM_DIR, readJsonFile, writeJsonAtomic } from './recordStore';

export const ACTOR_START_EVENT = 'apify-actor-start';
export const DEFAULT_DATASET_ITEM_EVENT = 'apify-default-dataset-item';
/** Events the platform charges by itself (the SDK only tracks them); an Actor cannot charge them through the API. */
export const SYNTHETIC_EVENT_PREFIX = 'apify-';

export interface ChargeEvent {
  eventTitle: string;
  eventPriceUsd: number;
  eventDescription?: string;
}

export interface PayPerEventPricing {
  pricingModel: 'PAY_PER_EVENT';
  pricingPerEvent: { actorChargeEvents: Record<string, ChargeEvent> };
  [field: string]: unknown;
}

/** A platform pricing record as given (`FREE`, `PRICE_PER_DATASET_ITEM`, `FLAT_PRICE_PER_MONTH`, `PAY_PER_EVENT`). */
export type PricingInfo = { pricingModel: string; [field: string]: unknown };

export class PricingError extends Error {
  name = 'PricingError';
}

export function pricingFile(actorRoot: string): string {
  return join(actorRoot, '.actor', 'pay_per_event.json');
}

function apiPricingFile(actorRoot: string): string {
  return join(actorRoot, GREENROOM_DIR, 'pricing.json');
}

interface StoredApiPricing {
  setAt: string;
  pricingInfos: PricingInfo[];
}

export function isPayPerEvent(pricing: PricingInfo | undefined): pricing is PayPerEventPricing {
  return pricing?.pricingModel === 'PAY_PER_EVENT';
}

/**
 * The Actor's current pricing: the newer of the API's (`pricingInfos`, its last record) and the committed file;
 * undefined for a free Actor. A malformed file is a PricingError naming it.
 */
export function actorPricing(actorRoot: string): PricingInfo | undefined {
  const api = readJsonFile<StoredApiPricing>(apiPricingFile(actorRoot));
  const file = pricingFile(actorRoot);
  const fileTime = modifiedAt(file);
  if (api && (fileTime === undefined || Date.parse(api.setAt) >= fileTime)) return api.pricingInfos[api.pricingInfos.length - 1];
  if (fileTime === undefined) return undefined;
  return pricingFromFile(file);
}

/** `pricingInfos` set through the API (validated: a PricingError says what is wrong); `[]` makes the Actor free. */
export function setApiPricing(actorRoot: string, pricingInfos: unknown, now = new Date()): PricingInfo[] {
  if (!Array.isArray(pricingInfos)) throw new PricingError('pricingInfos must be an array of pricing records');
  const checked = pricingInfos.map((info, index) => checkPricingInfo(info, `pricingInfos[${index}]`));
  const stored: StoredApiPricing = { setAt: now.toISOString(), pricingInfos: checked.length ? checked : [{ pricingModel: 'FREE' }] };
  writeJsonAtomic(apiPricingFile(actorRoot), stored);
  return checked;
}

/** The API's `pricingInfos` for the Actor object: what was set, else the file's as one record, else none. */
export function actorPricingInfos(actorRoot: string): PricingInfo[] {
  const current = actorPricing(actorRoot);
  return current && current.pricingModel !== 'FREE' ? [current] : [];
}

function pricingFromFile(file: string): PayPerEventPricing {
  const raw = readJsonFile<unknown>(file);
  if (raw === undefined) throw new PricingError(`${file} is not valid JSON`);
  return { pricingModel: 'PAY_PER_EVENT', pricingPerEvent: { actorChargeEvents: checkEvents(raw, file) } };
}

function checkPricingInfo(info: unknown, where: string): PricingInfo {
  if (!isObject(info) || typeof info.pricingModel !== 'string') throw new PricingError(`${where} must be an object with a pricingModel`);
  if (info.pricingModel !== 'PAY_PER_EVENT') return info as PricingInfo;
  const perEvent = info.pricingPerEvent;
  if (!isObject(perEvent)) throw new PricingError(`${where}.pricingPerEvent must be an object with actorChargeEvents`);
  return { ...info, pricingModel: 'PAY_PER_EVENT', pricingPerEvent: { ...perEvent, actorChargeEvents: checkEvents(perEvent.actorChargeEvents, `${where}.pricingPerEvent.actorChargeEvents`) } };
}

function checkEvents(events: unknown, where: string): Record<string, ChargeEvent> {
  if (!isObject(events)) throw new PricingError(`${where} must be an object of events by name`);
  for (const [name, event] of Object.entries(events)) {
    if (!isObject(event)) throw new PricingError(`${where}: event "${name}" must be an object with eventTitle and eventPriceUsd`);
    if (typeof event.eventTitle !== 'string') throw new PricingError(`${where}: event "${name}" needs an eventTitle (a string)`);
    if (typeof event.eventPriceUsd !== 'number' || !(event.eventPriceUsd >= 0)) throw new PricingError(`${where}: event "${name}" needs an eventPriceUsd (a number ≥ 0)`);
    if (event.eventDescription !== undefined && typeof event.eventDescription !== 'string') throw new PricingError(`${where}: event "${name}": eventDescription must be a string`);
  }
  return events as Record<string, ChargeEvent>;
}

/** How many `apify-actor-start` events a start or resurrection charges: one per GB of memory, at least one. */
export function actorStartCount(memoryMbytes: number): number {
  return Math.max(1, Math.ceil(memoryMbytes / 1024));
}

export interface Charge {
  eventName: string;
  count: number;
}

export interface RunCost {
  /** Every event charged (what the API accepted), by name. */
  chargedEventCounts: Record<string, number>;
  /** The part within maxTotalChargeUsd: what the user pays (the platform accepts charges above it, and pays them to no one). */
  accountedChargedEventCounts: Record<string, number>;
  /** The cost of the accounted events, in USD (rounded to 6 places, as the SDK keeps its totals). */
  accountedTotalUsd: number;
  /** The cost of every charged event. */
  chargedTotalUsd: number;
}

/**
 * The cost of a run's charges in the order they came, against its limit (undefined: no limit). A charge is
 * accounted while it fits; of one that crosses the limit, the events that fit are.
 */
export function runCost(pricing: PayPerEventPricing, charges: readonly Charge[], maxTotalChargeUsd: number | undefined): RunCost {
  const prices = pricing.pricingPerEvent.actorChargeEvents;
  const limit = maxTotalChargeUsd ?? Infinity;
  const chargedEventCounts: Record<string, number> = {};
  const accountedChargedEventCounts: Record<string, number> = {};
  let accounted = 0;
  let charged = 0;
  for (const { eventName, count } of charges) {
    const price = prices[eventName]?.eventPriceUsd ?? 0;
    chargedEventCounts[eventName] = (chargedEventCounts[eventName] ?? 0) + count;
    charged += count * price;
    const fitting = price > 0 ? Math.min(count, Math.max(0, Math.floor(Number(((limit - accounted) / price).toFixed(4))))) : count;
    if (fitting > 0) accountedChargedEventCounts[eventName] = (accountedChargedEventCounts[eventName] ?? 0) + fitting;
    accounted += fitting * price;
  }
  return { chargedEventCounts, accountedChargedEventCounts, accountedTotalUsd: round(accounted), chargedTotalUsd: round(charged) };
}

function round(usd: number): number {
  return Number(usd.toFixed(6));
}

function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A USD amount to the SDK's precision (6 places), at least in cents: `$0.21`, `$1.50`, `$0.005`, and `$0.025`
 * (an event's cost must not read as `$0.03`).
 */
export function formatUsd(usd: number): string {
  const [whole, fraction = ''] = Number(usd.toFixed(6)).toString().split('.');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * A pay-per-event run's cost for the views and the CLI: `total` (`$0.21`), `detail` (with what was charged above the
 * limit) and `events` (`foobar ×3 (2 within the limit)`); empty strings for a free run.
 */
export function formatRunCost(cost: RunCost | undefined): { total: string; detail: string; events: string } {
  if (!cost) return { total: '', detail: '', events: '' };
  const total = formatUsd(cost.accountedTotalUsd);
  const over = cost.chargedTotalUsd > cost.accountedTotalUsd ? ` (${formatUsd(cost.chargedTotalUsd)} charged, above the limit)` : '';
  const events = Object.entries(cost.chargedEventCounts)
    .map(([name, count]) => `${name} ×${count}${cost.accountedChargedEventCounts[name] !== count ? ` (${cost.accountedChargedEventCounts[name] ?? 0} within the limit)` : ''}`)
    .join(', ');
  return { total, detail: total + over, events: events || 'no events charged' };
}
