/**
 * The run view's log: a virtual list over a log of any length. Only the rows on screen (plus a margin) are in the
 * DOM; their text comes from the host in chunks of lines, kept in a small cache, so a 1,000,000-line log scrolls
 * with a few hundred elements and a few thousand strings. It follows the end while the view is scrolled to the
 * bottom and stops following as soon as it is scrolled up. Greenroom's own lines ("Greenroom: …") are set apart.
 * Each line shows when it was written (local time, the full date in its tooltip), unless the Times column is hidden.
 */
import { h } from '../dom';

export const LINE_HEIGHT = 18;
const CHUNK = 200;
const MAX_CHUNKS = 60;
const OVERSCAN = 20;
const OWN_LINE = /^Greenroom: /;

interface Chunk {
  lines: string[];
  times: (number | null)[];
}

export class LogView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private total = 0;
  /** Chunk number → its lines (a chunk at the end may be partial until the log grows past it). */
  private readonly chunks = new Map<number, Chunk>();
  private readonly requested = new Set<number>();
  following = true;
  /** The line a search jumped to, marked. */
  private marked: number | undefined;
  private query = '';
  firstDrawn = 0;
  /** Where the view was scrolled to: a hidden tab loses its scroll position, and gets this back when shown. */
  private scrollTop = 0;

  /** A line to scroll to once the log's size is known (the webview was reloaded while scrolled up). */
  private pendingLine: number | undefined;

  constructor(
    private readonly requestLines: (start: number, count: number) => void,
    /** Told where the view is scrolled to (the top line, and whether it follows the end), to save it. */
    private readonly onScrolled: (topLine: number, following: boolean) => void = () => undefined,
  ) {
    this.spacer = h('div', { class: 'log-spacer' });
    this.rows = h('div', { class: 'log-rows', role: 'log', 'aria-live': 'off' });
    this.scroller = h('div', { class: 'log-scroller', tabindex: 0 }, this.spacer, this.rows);
    this.element = this.scroller;
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.clientHeight === 0) return; // Hidden: not the user's scrolling.
      this.scrollTop = this.scroller.scrollTop;
      const atEnd = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - LINE_HEIGHT;
      this.following = atEnd;
      this.onScrolled(Math.floor(this.scroller.scrollTop / LINE_HEIGHT), atEnd);
      this.draw();
    });
  }

  get lineCount(): number {
    return this.total;
  }

  setTotal(total: number): void {
    // The chunk that held the old end may have been partial: read it again.
    if (total > this.total) {
      const partial = Math.floor(this.total / CHUNK);
      if ((this.chunks.get(partial)?.lines.length ?? CHUNK) < CHUNK) this.chunks.delete(partial);
      this.requested.delete(partial);
    }
    if (total < this.total) {
      this.chunks.clear();
      this.requested.clear();
    }
    this.total = total;
    this.spacer.style.height = `${total * LINE_HEIGHT}px`;
    if (this.pendingLine !== undefined) {
      this.scroller.scrollTop = this.scrollTop = Math.min(this.pendingLine, total) * LINE_HEIGHT;
      this.pendingLine = undefined;
    } else if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.draw();
  }

  receive(start: number, lines: string[], times: (number | null)[]): void {
    const chunk = Math.floor(start / CHUNK);
    this.requested.delete(chunk);
    this.chunks.set(chunk, { lines, times });
    // Bounded memory: the chunks farthest from what is on screen go first.
    if (this.chunks.size > MAX_CHUNKS) {
      const here = Math.floor(this.firstDrawn / CHUNK);
      const farthest = [...this.chunks.keys()].sort((a, b) => Math.abs(b - here) - Math.abs(a - here))[0];
      this.chunks.delete(farthest);
    }
    this.draw();
  }

  /** Comes back scrolled to `topLine`, not following, once the log's size arrives (after a reload). */
  restore(topLine: number): void {
    this.following = false;
    this.pendingLine = topLine;
  }

  /** The tab is shown again: back to the end when following, else to where it was. */
  shown(): void {
    this.scroller.scrollTop = this.following ? this.scroller.scrollHeight : this.scrollTop;
    this.draw();
  }

  scrollToLine(line: number, mark = false): void {
    if (mark) this.marked = line;
    this.following = false;
    this.scroller.scrollTop = Math.max(0, line * LINE_HEIGHT - this.scroller.clientHeight / 3);
    this.draw();
  }

  get timesShown(): boolean {
    return !this.scroller.classList.contains('hide-times');
  }

  showTimes(shown: boolean): void {
    this.scroller.classList.toggle('hide-times', !shown);
  }

  highlight(query: string): void {
    this.query = query.toLowerCase();
    this.draw();
  }

  /** Draws the rows in view from the cache, asking the host for the chunks it lacks. */
  draw(): void {
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / LINE_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((this.scroller.scrollTop + height) / LINE_HEIGHT) + OVERSCAN);
    this.firstDrawn = first;
    const rows: HTMLElement[] = [];
    for (let line = first; line < last; line++) {
      const chunk = Math.floor(line / CHUNK);
      const cached = this.chunks.get(chunk);
      const text = cached?.lines[line - chunk * CHUNK];
      if (text === undefined && !this.requested.has(chunk)) {
        this.requested.add(chunk);
        this.requestLines(chunk * CHUNK, CHUNK);
      }
      rows.push(this.row(line, text, cached?.times[line - chunk * CHUNK] ?? null));
    }
    this.rows.style.transform = `translateY(${first * LINE_HEIGHT}px)`;
    this.rows.replaceChildren(...rows);
  }

  private row(line: number, text: string | undefined, time: number | null): HTMLElement {
    const own = text !== undefined && OWN_LINE.test(text);
    const classes = ['log-line', own ? 'own' : '', line === this.marked ? 'marked' : '', text === undefined ? 'loading' : ''].filter(Boolean).join(' ');
    const content = text === undefined ? '' : text;
    const body = h('span', { class: 'log-text' });
    const at = this.query ? content.toLowerCase().indexOf(this.query) : -1;
    if (at >= 0) body.append(content.slice(0, at), h('mark', {}, content.slice(at, at + this.query.length)), content.slice(at + this.query.length));
    else body.append(content);
    const when = time === null ? h('span', { class: 'log-time' }) : h('span', { class: 'log-time', title: fullTime(new Date(time)) }, clockTime(new Date(time)));
    return h('div', { class: classes, 'data-line': line }, h('span', { class: 'log-number' }, String(line + 1)), when, body);
  }

  /** The drawn rows as the tests read them. */
  drawnLines(): { texts: string[]; times: string[]; timeTitles: string[]; own: number; rowsInDom: number } {
    const rows = [...this.rows.querySelectorAll<HTMLElement>('.log-line')];
    const times = rows.map((row) => row.querySelector<HTMLElement>('.log-time')!);
    return {
      texts: rows.map((row) => row.querySelector('.log-text')!.textContent ?? ''),
      times: times.map((time) => (time.offsetParent === null ? '' : (time.textContent ?? ''))),
      timeTitles: times.map((time) => time.title),
      own: rows.filter((row) => row.classList.contains('own')).length,
      rowsInDom: rows.length,
    };
  }
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `HH:MM:SS.mmm`, local time. */
function clockTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The local date and time, and the same instant in UTC. */
function fullTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockTime(date)} local · ${date.toISOString()}`;
}
