/** Pay-per-event pricing: the sources (committed file, API) and the arithmetic of a run's cost against its limit. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendCharge, readCharges } from '../../../src/engine/chargeLedger';
import { actorPricing, actorStartCount, formatRunCost, formatUsd, PayPerEventPricing, PricingError, pricingFile, runCost, setApiPricing } from '../../../src/engine/pricing';
import { ActorLayout } from '../../../src/engine/recordStore';

const pricing = (events: Record<string, number>): PayPerEventPricing => ({
  pricingModel: 'PAY_PER_EVENT',
  pricingPerEvent: { actorChargeEvents: Object.fromEntries(Object.entries(events).map(([name, price]) => [name, { eventTitle: name, eventPriceUsd: price }])) },
});

describe('pay-per-event pricing', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-pricing-'));
    fs.mkdirSync(path.join(root, '.actor'));
    fs.mkdirSync(path.join(root, '.greenroom', 'runs'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('runCost', () => {
    it('counts and prices every charge when there is no limit', () => {
      const cost = runCost(pricing({ a: 0.1, b: 0.01 }), [{ eventName: 'a', count: 4 }, { eventName: 'b', count: 100 }], undefined);
      assert.deepEqual(cost.chargedEventCounts, { a: 4, b: 100 });
      assert.deepEqual(cost.accountedChargedEventCounts, { a: 4, b: 100 });
      assert.equal(cost.chargedTotalUsd, 1.4);
      assert.equal(cost.accountedTotalUsd, 1.4);
    });

    it("accounts only what fits within the limit: the SDK's overcharge by one is counted but not accounted", () => {
      // actorCharge's "charge limit": 0.1 each, limit 0.2, the SDK charges 3.
      const cost = runCost(pricing({ foobar: 0.1 }), [{ eventName: 'foobar', count: 3 }], 0.2);
      assert.deepEqual(cost.chargedEventCounts, { foobar: 3 });
      assert.deepEqual(cost.accountedChargedEventCounts, { foobar: 2 });
      assert.equal(cost.accountedTotalUsd, 0.2);
      assert.equal(cost.chargedTotalUsd, 0.3);
    });

    it('keeps float error out of the count that fits (0.1 + 0.2 style sums)', () => {
      const cost = runCost(pricing({ start: 1, item: 0.005, result: 0.01 }), [
        { eventName: 'start', count: 1 },
        { eventName: 'item', count: 33 },
        { eventName: 'result', count: 33 },
      ], 1.5);
      assert.deepEqual(cost.accountedChargedEventCounts, { start: 1, item: 33, result: 33 });
      assert.equal(cost.accountedTotalUsd, 1.495);
    });

    it('a free event is always accounted; an event not in the pricing costs nothing', () => {
      const cost = runCost(pricing({ free: 0, paid: 1 }), [{ eventName: 'paid', count: 5 }, { eventName: 'free', count: 7 }, { eventName: 'other', count: 2 }], 2);
      assert.deepEqual(cost.accountedChargedEventCounts, { paid: 2, free: 7, other: 2 });
      assert.equal(cost.accountedTotalUsd, 2);
    });

    it('charges one apify-actor-start per GB of memory, at least one', () => {
      assert.deepEqual([128, 1024, 2048, 4096, 32768].map(actorStartCount), [1, 1, 2, 4, 32]);
    });
  });

  describe('how amounts read', () => {
    it('keeps the SDK\'s 6 places and at least cents', () => {
      assert.deepEqual([0, 0.21, 1.5, 0.005, 0.025, 0.1 + 0.2, 0.0000004, 12.3456789].map(formatUsd), ['$0.00', '$0.21', '$1.50', '$0.005', '$0.025', '$0.30', '$0.00', '$12.345679']);
    });

    it('says what was charged above the limit, per event', () => {
      const cost = runCost(pricing({ a: 0.02, b: 0.005 }), [{ eventName: 'b', count: 1 }, { eventName: 'a', count: 2 }], 0.03);
      assert.deepEqual(formatRunCost(cost), { total: '$0.025', detail: '$0.025 ($0.045 charged, above the limit)', events: 'b ×1, a ×2 (1 within the limit)' });
      assert.deepEqual(formatRunCost(undefined), { total: '', detail: '', events: '' });
    });
  });

  describe('sources', () => {
    const writeFile = (content: unknown, mtime?: Date) => {
      fs.writeFileSync(pricingFile(root), typeof content === 'string' ? content : JSON.stringify(content));
      if (mtime) fs.utimesSync(pricingFile(root), mtime, mtime);
    };

    it('an Actor with neither the file nor API pricing is free', () => {
      assert.equal(actorPricing(root), undefined);
    });

    it('reads .actor/pay_per_event.json as pay-per-event events', () => {
      writeFile({ result: { eventTitle: 'Result', eventPriceUsd: 0.01, eventDescription: 'One result' } });
      assert.deepEqual(actorPricing(root), {
        pricingModel: 'PAY_PER_EVENT',
        pricingPerEvent: { actorChargeEvents: { result: { eventTitle: 'Result', eventPriceUsd: 0.01, eventDescription: 'One result' } } },
      });
    });

    it('refuses a malformed file, naming the file and the event', () => {
      writeFile({ result: { eventTitle: 'Result', eventPriceUsd: '1' } });
      assert.throws(() => actorPricing(root), (e: Error) => e instanceof PricingError && e.message.includes('pay_per_event.json') && e.message.includes('"result"') && e.message.includes('eventPriceUsd'));
      writeFile('{not json');
      assert.throws(() => actorPricing(root), /pay_per_event\.json is not valid JSON/);
    });

    it('the newer source wins: API pricing set after the file was changed, the file once changed again', () => {
      writeFile({ a: { eventTitle: 'A', eventPriceUsd: 1 } }, new Date(Date.now() - 60_000));
      setApiPricing(root, [pricing({ b: 2 })]);
      assert.deepEqual(Object.keys((actorPricing(root) as PayPerEventPricing).pricingPerEvent.actorChargeEvents), ['b']);
      writeFile({ a: { eventTitle: 'A', eventPriceUsd: 1 } }, new Date(Date.now() + 60_000));
      assert.deepEqual(Object.keys((actorPricing(root) as PayPerEventPricing).pricingPerEvent.actorChargeEvents), ['a']);
    });

    it('API pricing: the last record is current, [] makes the Actor free, bad records are refused whole', () => {
      setApiPricing(root, [pricing({ old: 1 }), pricing({ current: 1 })]);
      assert.deepEqual(Object.keys((actorPricing(root) as PayPerEventPricing).pricingPerEvent.actorChargeEvents), ['current']);
      setApiPricing(root, []);
      assert.deepEqual(actorPricing(root), { pricingModel: 'FREE' });
      assert.throws(() => setApiPricing(root, [{ pricingModel: 'PAY_PER_EVENT' }]), /pricingInfos\[0\]\.pricingPerEvent/);
      assert.throws(() => setApiPricing(root, {}), /must be an array/);
      assert.deepEqual(actorPricing(root), { pricingModel: 'FREE' });
    });
  });

  describe('the ledger', () => {
    it('appends charges and counts one idempotency key once', () => {
      const layout = new ActorLayout(root);
      assert.equal(appendCharge(layout, 'run1', { eventName: 'a', count: 2, idempotencyKey: 'k1' }), true);
      assert.equal(appendCharge(layout, 'run1', { eventName: 'a', count: 2, idempotencyKey: 'k1' }), false);
      assert.equal(appendCharge(layout, 'run1', { eventName: 'a', count: 1 }), true);
      assert.deepEqual(readCharges(layout, 'run1').map((c) => c.count), [2, 1]);
      assert.deepEqual(readCharges(layout, 'other'), []);
    });

    it('skips a line cut short by a crash', () => {
      const layout = new ActorLayout(root);
      appendCharge(layout, 'run1', { eventName: 'a', count: 1 });
      fs.appendFileSync(layout.runCharges('run1'), '{"eventName":"a","cou');
      assert.equal(readCharges(layout, 'run1').length, 1);
    });
  });
});
