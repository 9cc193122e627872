// What the code-server launcher knows of the suite's progress, from the events suite/index.ts sends (SuiteEvent):
// every result so far, and what is running and for how long it may run. When the run has to be cut off, recap()
// prints every pass and failure (with the failures' text) and mocha-style closing counts in which the cut itself
// is one failure, so that `npm test` counts what did run.
import { SUITE_EVENT_PREFIX, type SuiteEvent } from './common';

export class SuiteProgress {
  readonly passed: string[] = [];
  readonly pending: string[] = [];
  readonly failed: { title: string; text: string }[] = [];
  /** The test or hook that began last and has not finished, if any. */
  running: { title: string; since: number } | undefined;
  /** How long, from the last event, the suite may stay silent: the running test's own time-out, or the default one. */
  allowedSilenceMs: number | undefined;
  lastEventAt = Date.now();
  started = false;
  ended = false;
  private recapped = false;

  /** Takes one line of the suite's output; true when it was an event (which is not part of the human output). */
  take(line: string): boolean {
    if (!line.startsWith(SUITE_EVENT_PREFIX)) return false;
    const event = JSON.parse(line.slice(SUITE_EVENT_PREFIX.length)) as SuiteEvent;
    this.lastEventAt = Date.now();
    switch (event.event) {
      case 'start':
        this.started = true;
        this.allowedSilenceMs = event.timeoutMs;
        break;
      case 'begin':
        this.running = { title: event.title, since: Date.now() };
        this.allowedSilenceMs = event.timeoutMs || undefined;
        break;
      case 'pass':
        this.passed.push(event.title);
        this.running = undefined;
        break;
      case 'pending':
        this.pending.push(event.title);
        break;
      case 'fail':
        this.failed.push({ title: event.title, text: event.text });
        this.running = undefined;
        break;
      case 'end':
        this.ended = true;
        this.running = undefined;
        break;
    }
    return true;
  }

  /**
   * Everything known, for a run cut off by `reason`: each pass, each failure with its text, what was running,
   * and closing counts in mocha's words ("N passing", "N failing") with the cut as one more failure.
   * Mocha prints its own closing counts when the suite ends; then only the reason is added.
   */
  recap(reason: string): string {
    // Once only: a SIGTERM's recap and the outcome that the stopped code-server then causes must not count twice.
    if (this.ended || this.recapped) return `\n  The suite had ${this.ended ? 'ended' : 'been cut off'}, then: ${reason}\n`;
    this.recapped = true;
    const now = Date.now();
    const running = this.running
      ? `while running "${this.running.title}" (for ${((now - this.running.since) / 1000).toFixed(0)} s)`
      : this.started
        ? 'between tests'
        : 'before the suite started';
    const lines = ['', `  RUN CUT OFF ${running}: ${reason}`, ''];
    for (const title of this.passed) lines.push(`  ✔ ${title}`);
    for (const title of this.pending) lines.push(`  - ${title}`);
    this.failed.forEach(({ title }, i) => lines.push(`  ${i + 1}) ${title}`));
    lines.push('', `  ${this.passed.length} passing`);
    if (this.pending.length) lines.push(`  ${this.pending.length} pending`);
    lines.push(`  ${this.failed.length + 1} failing`, '');
    this.failed.forEach(({ title, text }, i) => lines.push(`  ${i + 1}) ${title}:`, indent(text), ''));
    lines.push(`  ${this.failed.length + 1}) the run was cut off ${running}:`, `     ${reason}`, '');
    return lines.join('\n');
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '     ');
}
