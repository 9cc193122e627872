/**
 * When a log's lines were written, in a sidecar beside it (`<log>.times`) so the log itself stays byte for byte what
 * the Actor wrote. The sidecar is a sequence of 16-byte records, two little-endian float64s: a byte offset in the log
 * and a time (ms since the epoch) that holds from that offset until the next record's. Keying by offset, not by line
 * number, keeps it in step with the log whatever happens: records of a crashed writer that never reached the log are
 * overtaken by the next writer's record at the same offset, and a writer that closes ends with a record of NaN ("no
 * time from here"), so bytes a writer without times appends (an older Greenroom) get none. Consecutive writes in the
 * same millisecond share one record: a chatty container costs a few records per batch, a quiet one one per line.
 * A line's time is that of its first byte. Missing, cut short or garbled records only mean "no time", never an error.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const RECORD_BYTES = 16;
/** Records read at a time: one page, so a binary search's probes stay cheap. */
const BLOCK_RECORDS = 256;
/** Times outside these (a garbled record) are no time. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

export function logTimesFile(logFile: string): string {
  return `${logFile}.times`;
}

/** Appends a log's time records. Written synchronously before the log's own bytes, so a reader that sees lines finds their times. */
export class LogTimesWriter {
  private fd: number | undefined;
  private pending: number[] = [];
  private lastTime = Number.NaN;
  private lastOffset = -1;

  constructor(file: string) {
    try {
      this.fd = openSync(file, 'a');
      // A record cut short by a crash would misalign every record after it.
      const { size } = fstatSync(this.fd);
      if (size % RECORD_BYTES) ftruncateSync(this.fd, size - (size % RECORD_BYTES));
    } catch {
      this.fd = undefined; // No times: the log goes on without them.
    }
  }

  /** The log's bytes from `offset` on were written at `time`. */
  mark(offset: number, time: number): void {
    if (this.fd === undefined || time === this.lastTime) return;
    // Two marks at one offset: the later one holds (nothing was written with the first).
    if (offset === this.lastOffset && this.pending.length) this.pending.length -= 2;
    this.pending.push(offset, time);
    this.lastTime = time;
    this.lastOffset = offset;
  }

  /** Writes the records marked so far. */
  flush(): void {
    if (this.fd === undefined || !this.pending.length) return;
    const records = Buffer.alloc(this.pending.length * 8);
    this.pending.forEach((value, i) => records.writeDoubleLE(value, i * 8));
    this.pending = [];
    try {
      writeSync(this.fd, records);
    } catch {
      this.close(); // The disk is full: no more times, the log itself goes on.
    }
  }

  /** Ends with "no time" from `endOffset` on (when this writer marked anything), and closes. */
  close(endOffset?: number): void {
    if (endOffset !== undefined && this.lastOffset >= 0) this.mark(endOffset, Number.NaN);
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The time of each line starting at `lineStarts` (byte offsets in the log, ascending), or null where there is none.
 * Reads only the records around those offsets: a binary search, then forward from there.
 */
export async function lineTimes(file: string, lineStarts: ArrayLike<number>): Promise<(number | null)[]> {
  const times: (number | null)[] = new Array<number | null>(lineStarts.length).fill(null);
  if (!lineStarts.length) return times;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return times;
  }
  try {
    const records = new RecordReader(handle, Math.floor((await handle.stat()).size / RECORD_BYTES));
    // The record in force at the first line: the last one at or before it.
    let low = 0;
    let high = records.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((await records.offset(middle)) <= lineStarts[0]) low = middle + 1;
      else high = middle;
    }
    let current = low - 1;
    for (let line = 0; line < lineStarts.length; line++) {
      while (current + 1 < records.count && (await records.offset(current + 1)) <= lineStarts[line]) current++;
      if (current < 0) continue;
      const time = await records.time(current);
      if (time >= EARLIEST && time <= LATEST) times[line] = time;
    }
    return times;
  } catch {
    return times; // Unreadable meanwhile: no times.
  } finally {
    await handle.close();
  }
}

/** The sidecar's records, read a block at a time. */
class RecordReader {
  private block = Buffer.alloc(0);
  private blockStart = -1;

  constructor(
    private readonly handle: FileHandle,
    readonly count: number,
  ) {}

  async offset(index: number): Promise<number> {
    return this.field(index, 0);
  }

  async time(index: number): Promise<number> {
    return this.field(index, 8);
  }

  private async field(index: number, at: number): Promise<number> {
    const inBlock = index - this.blockStart;
    if (this.blockStart < 0 || inBlock < 0 || (inBlock + 1) * RECORD_BYTES > this.block.length) await this.load(index);
    const position = (index - this.blockStart) * RECORD_BYTES + at;
    // A short read (the file was cut meanwhile) leaves no record there: no offset, no time.
    return position + 8 <= this.block.length ? this.block.readDoubleLE(position) : Number.NaN;
  }

  private async load(index: number): Promise<void> {
    const start = index - (index % BLOCK_RECORDS);
    const buffer = Buffer.alloc(Math.min(BLOCK_RECORDS, this.count - start) * RECORD_BYTES);
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, start * RECORD_BYTES);
    this.block = buffer.subarray(0, bytesRead);
    this.blockStart = start;
  }
}

/** Stands for the time of a line that has none, as wide as a time. */
const NO_TIME = '-'.padEnd(new Date(0).toISOString().length);

/** A log's text with each line prefixed by its time (ISO 8601, UTC) and a space; its bytes otherwise as they are. */
export async function prefixLineTimes(log: string, timesFile: string): Promise<string> {
  const lines = log.split('\n');
  const unterminated = lines.pop() ?? '';
  if (unterminated) lines.push(unterminated);
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += Buffer.byteLength(line) + 1;
  }
  const times = await lineTimes(timesFile, starts);
  const stamped = lines.map((line, i) => `${times[i] === null ? NO_TIME : new Date(times[i]!).toISOString()} ${line}`);
  return stamped.join('\n') + (unterminated ? '' : lines.length ? '\n' : '');
}
