/**
 * Collects changes and hands them over at most once per interval: the first change after a quiet spell goes out on
 * the next tick, later ones wait for the interval to pass, and the last one is never lost. Views and terminals redraw
 * a few times a second however fast the engine's events arrive (a chatty Actor logs thousands of lines a second).
 */
export class Coalescer<K> {
  private keys = new Set<K>();
  private everything = false;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  /** `flush` gets the changed keys, or 'all' when a change without a key asked for everything. */
  constructor(
    private readonly intervalMs: number,
    private readonly flush: (changed: Set<K> | 'all') => void,
  ) {}

  /** One key changed, or (no key) everything. */
  add(key?: K): void {
    if (key === undefined) this.everything = true;
    else this.keys.add(key);
    this.timer ??= setTimeout(() => this.fire(), Math.max(0, this.lastFlush + this.intervalMs - Date.now()));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.lastFlush = Date.now();
    const changed = this.everything ? 'all' : this.keys;
    this.keys = new Set();
    this.everything = false;
    this.flush(changed);
  }
}
