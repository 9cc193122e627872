/**
 * Random access to the lines of a log file that may be growing: an index of where each line starts, built by
 * reading the file once in chunks and extended by what was appended since, so any range of lines is one read of
 * just those bytes. A 1,000,000-line log costs 8 MB of offsets and never sits in memory itself. The lines' times come
 * from the log's times file (logTimes.ts), read around just those lines' offsets.
 */
import { open } from 'node:fs/promises';
import { lineTimes } from './logTimes';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export class LogIndex {
  /** Byte offset of each line's start; the last entry is where the next (unfinished) line starts. */
  private starts = new Float64Array(1024);
  private count = 1;
  /** Bytes indexed so far. */
  private indexed = 0;
  private updating: Promise<number> | undefined;

  constructor(
    readonly file: string,
    /** The log's times file, if it has one. */
    private readonly timesFile?: string,
  ) {}

  /** Complete lines indexed (a last line without its newline yet is not one). */
  get lineCount(): number {
    return this.count - 1;
  }

  /** Indexes what was appended since the last call; resolves with the line count. One update at a time. */
  update(): Promise<number> {
    this.updating ??= this.extend().finally(() => (this.updating = undefined));
    return this.updating;
  }

  /** Lines `start` to `start + count` (fewer at the end), without their newlines. */
  async lines(start: number, count: number): Promise<string[]> {
    const [first, end] = this.range(start, count);
    if (end <= first) return [];
    const from = this.starts[first];
    const length = this.starts[end] - from;
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, from);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      return text.split('\n').slice(0, end - first).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    } finally {
      await handle.close();
    }
  }

  /** When the lines lines() gives for the same range were written (ms since the epoch), null where that is not known. */
  async times(start: number, count: number): Promise<(number | null)[]> {
    const [first, end] = this.range(start, count);
    if (!this.timesFile) return new Array<null>(Math.max(0, end - first)).fill(null);
    return lineTimes(this.timesFile, this.starts.subarray(first, Math.max(first, end)));
  }

  private range(start: number, count: number): [first: number, end: number] {
    const first = Math.max(0, Math.min(start, this.lineCount));
    return [first, Math.min(this.lineCount, first + Math.max(0, count))];
  }

  /** Numbers of the lines containing `query` (case-insensitive), the first `limit` of them, scanned in chunks. */
  async search(query: string, limit = 10_000): Promise<number[]> {
    const needle = query.toLowerCase();
    const found: number[] = [];
    if (!needle) return found;
    const batch = 20_000;
    for (let start = 0; start < this.lineCount && found.length < limit; start += batch) {
      const lines = await this.lines(start, batch);
      for (let i = 0; i < lines.length && found.length < limit; i++) if (lines[i].toLowerCase().includes(needle)) found.push(start + i);
    }
    return found;
  }

  private async extend(): Promise<number> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return this.lineCount; // No log yet.
    }
    try {
      const { size } = await handle.stat();
      // A log that shrank was replaced (a record deleted and made again): index it anew.
      if (size < this.indexed) {
        this.count = 1;
        this.indexed = 0;
      }
      const buffer = Buffer.alloc(CHUNK_BYTES);
      while (this.indexed < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - this.indexed), this.indexed);
        if (bytesRead === 0) break;
        for (let i = buffer.indexOf(NEWLINE, 0); i !== -1 && i < bytesRead; i = buffer.indexOf(NEWLINE, i + 1)) this.push(this.indexed + i + 1);
        this.indexed += bytesRead;
      }
      return this.lineCount;
    } finally {
      await handle.close();
    }
  }

  private push(offset: number): void {
    if (this.count === this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = offset;
  }
}
