/**
 * Sends webhooks when a run or build reaches an event (docs/platform.md#webhooks): the process that follows the
 * run or build dispatches (its engine calls `trigger`), so each event is sent once whichever process serves the API.
 * A request is an HTTP POST of the rendered payload template, sent from this machine (a `localhost` URL is the
 * developer's machine); a 2xx answer succeeds it, anything else (or no answer within 30 s) is retried with
 * exponential backoff, unless the webhook says `doNotRetry`. Every attempt is recorded on the dispatch.
 */
import { actorIdOf } from '../../engine/platformLink';
import { ActorLayout, newId } from '../../engine/recordStore';
import type { BuildRecord, RunRecord } from '../../engine/types';
import { describeActor } from '../../workspace/actor';
import { buildObject, runObject } from '../apiObjects';
import { LOCAL_USER } from '../routes/users';
import { renderHeaders, renderTemplate } from './template';
import { actorWebhooks, recordDispatch, runWebhooks, Webhook, WebhookDispatch, WebhookEventType } from './webhooks';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface RetryPolicy {
  /** Retries after the first attempt (the platform: 11 over about 32 hours). */
  retries: number;
  /** Wait before the first retry; each next one waits twice as long (the platform: about a minute). */
  firstRetryMs: number;
  /** A request with no answer by then fails (the platform's 30 s). */
  timeoutMs: number;
}

/** Shorter than the platform's (a developer watches the run), long enough to outlast a restarting local server. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, firstRetryMs: 1000, timeoutMs: 30_000 };

/** The wait before retry `n` (1 = the first retry). */
export function retryDelayMs(policy: RetryPolicy, n: number): number {
  return policy.firstRetryMs * 2 ** (n - 1);
}

const RESPONSE_BODY_LIMIT = 1000;

export type DispatchSubject = ({ kind: 'run'; record: RunRecord } | { kind: 'build'; record: BuildRecord }) & {
  actorRoot: string;
  /** Told after each change of a dispatch is recorded (the views redraw the run). */
  onRecorded?: () => void;
};

export interface DispatcherOptions {
  clock?: Clock;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
  /** Told about a webhook that cannot be read (a malformed .actor/webhooks.json): the run goes on without it. */
  warn?: (message: string) => void;
}

export class WebhookDispatcher {
  private readonly pending = new Set<Promise<void>>();
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly send: typeof fetch;

  constructor(private readonly options: DispatcherOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.send = options.fetch ?? fetch;
  }

  /** Dispatches the event to every webhook of the run or build that listens for it; returns the dispatches made. */
  trigger(subject: DispatchSubject, eventType: WebhookEventType): WebhookDispatch[] {
    const actor = describeActor(subject.actorRoot);
    const layout = new ActorLayout(subject.actorRoot);
    let webhooks: Webhook[] = [];
    try {
      webhooks = actorWebhooks(subject.actorRoot, actor.name);
    } catch (error) {
      this.options.warn?.(`Webhooks of ${actor.name} not sent: ${(error as Error).message}`);
    }
    if (subject.kind === 'run') webhooks = [...webhooks, ...runWebhooks(layout, subject.record)];
    const eventData: Record<string, string> =
      subject.kind === 'run' ? { actorId: actorIdOf(actor.name), actorRunId: subject.record.id } : { actorId: actorIdOf(actor.name), actorBuildId: subject.record.id };
    const resource = subject.kind === 'run' ? runObject(actor, subject.record) : buildObject(actor, subject.record);
    const dispatches: WebhookDispatch[] = [];
    for (const webhook of webhooks.filter((w) => w.eventTypes.includes(eventType))) {
      const createdAt = new Date(this.clock.now()).toISOString();
      const dispatch: WebhookDispatch = {
        id: newId(),
        userId: LOCAL_USER.id,
        webhookId: webhook.id,
        createdAt,
        status: 'ACTIVE',
        eventType,
        eventData,
        webhook: { requestUrl: webhook.requestUrl, isAdHoc: webhook.isAdHoc },
        calls: [],
      };
      const variables = { userId: LOCAL_USER.id, createdAt, eventType, eventData, resource, globals: { dateISO: createdAt, dateUnix: Math.floor(this.clock.now() / 1000) } };
      const record = () => {
        recordDispatch(layout, subject.kind, subject.record.id, dispatch);
        subject.onRecorded?.();
      };
      record();
      dispatches.push(dispatch);
      const delivery = this.deliver(webhook, dispatch, variables, record).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
    return dispatches;
  }

  /** Resolves once every dispatch under way has succeeded or given up (a command awaits it before it exits). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async deliver(webhook: Webhook, dispatch: WebhookDispatch, variables: Record<string, unknown>, record: () => void): Promise<void> {
    let body: string;
    let headers: Record<string, string>;
    try {
      body = renderTemplate(webhook.payloadTemplate, variables, { interpolateStrings: webhook.shouldInterpolateStrings });
      headers = webhook.headersTemplate ? renderHeaders(webhook.headersTemplate, variables, { interpolateStrings: webhook.shouldInterpolateStrings }) : {};
    } catch (error) {
      const now = new Date(this.clock.now()).toISOString();
      dispatch.calls.push({ startedAt: now, finishedAt: now, errorMessage: (error as Error).message, responseStatus: null, responseBody: null });
      dispatch.status = 'FAILED';
      record();
      return;
    }
    const attempts = webhook.doNotRetry ? 1 : 1 + this.policy.retries;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.clock.sleep(retryDelayMs(this.policy, attempt - 1));
      const call = await this.call(webhook, dispatch, body, headers);
      dispatch.calls.push(call);
      const succeeded = call.responseStatus !== null && call.responseStatus >= 200 && call.responseStatus < 300;
      if (succeeded || attempt === attempts) dispatch.status = succeeded ? 'SUCCEEDED' : 'FAILED';
      record();
      if (succeeded) return;
    }
  }

  private async call(webhook: Webhook, dispatch: WebhookDispatch, body: string, headers: Record<string, string>): Promise<WebhookCall> {
    const startedAt = new Date(this.clock.now()).toISOString();
    try {
      const response = await this.send(webhook.requestUrl, {
        method: 'POST',
        // The template's headers first: the content type and the platform's own headers are not the template's to change.
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'x-apify-webhook': webhook.id, 'x-apify-webhook-dispatch-id': dispatch.id },
        body,
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      const text = await response.text().catch(() => '');
      const ok = response.status >= 200 && response.status < 300;
      return { startedAt, finishedAt: new Date(this.clock.now()).toISOString(), errorMessage: ok ? null : `The endpoint answered ${response.status}`, responseStatus: response.status, responseBody: text.slice(0, RESPONSE_BODY_LIMIT) };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return { startedAt, finishedAt: new Date(this.clock.now()).toISOString(), errorMessage: `${(error as Error).message}${cause ? `: ${cause}` : ''}`, responseStatus: null, responseBody: null };
    }
  }
}

type WebhookCall = WebhookDispatch['calls'][number];

/** The event a run's or build's final status is (TIMED-OUT is TIMED_OUT there). */
export function finishedEventType(kind: 'run' | 'build', status: string): WebhookEventType | undefined {
  const suffix = { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', ABORTED: 'ABORTED', 'TIMED-OUT': 'TIMED_OUT' }[status];
  return suffix ? (`ACTOR.${kind === 'run' ? 'RUN' : 'BUILD'}.${suffix}` as WebhookEventType) : undefined;
}
