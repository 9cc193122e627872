/**
 * Log capture: raw bytes go to the log file in order, written off the event loop (a process that follows a chatty
 * container stays responsive); complete lines are handed to subscribers once they are in the file, in batches, and
 * scanned for the SDKs' status-message lines.
 */
import { createWriteStream, fstatSync, openSync, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { LogTimesWriter } from './logTimes';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** JS SDK: `INFO  [Status message]: text`; Python also `[Terminal status message]: text`. */
const STATUS_LINE = /\[(Terminal status message|Status message)\]:\s?(.*)$/;

export interface StatusMessage {
  text: string;
  terminal: boolean;
}

export function parseStatusMessage(line: string): StatusMessage | undefined {
  const match = STATUS_LINE.exec(line.replace(ANSI, ''));
  return match ? { text: match[2].trim(), terminal: match[1] === 'Terminal status message' } : undefined;
}

/** Splits a byte stream into lines across chunk boundaries (UTF-8 safe). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer): string[] {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map(stripCarriageReturn);
  }

  /** The unterminated last line, if any. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest ? [stripCarriageReturn(rest)] : [];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export interface LogSinkHandlers {
  onLines(lines: string[]): void;
  onStatus?(status: StatusMessage): void;
}

/** Where in a chunk the bytes written at `time` begin (Docker's own timestamps, one per frame). */
export interface TimeMark {
  at: number;
  time: number;
}

/** Bytes waiting for the disk before write() asks its caller to pause the source (memory stays bounded). */
const HIGH_WATER_BYTES = 1024 * 1024;
/** Chunks that arrive within this long go to the disk in one write and to subscribers in one batch (a chatty container sends hundreds a second). */
const BATCH_MS = 20;

/**
 * Appends to a log file and forwards lines. Lines go to subscribers only once their bytes are in the file, so a
 * follower that reads the file on an event always finds them; close() resolves once everything is written. With a
 * times file, when each byte was written goes there (logTimes.ts), ahead of the bytes themselves.
 */
export class LogSink {
  private readonly file: WriteStream;
  private readonly times: LogTimesWriter | undefined;
  /** Where the next byte goes in the log file. */
  private offset: number;
  private readonly splitter = new LineSplitter();
  private readonly closed: Promise<void>;
  private closing: Promise<void> | undefined;
  /** Chunks of the batch being collected, and the complete lines they hold. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private lines: string[][] = [];
  private batch: NodeJS.Timeout | undefined;

  constructor(
    path: string,
    private readonly handlers: LogSinkHandlers,
    timesFile?: string,
  ) {
    // Opened here, so that a log that cannot be opened fails the caller at once. Only ever appended to: what a log
    // holds is never rewritten.
    const fd = openSync(path, 'a');
    this.offset = fstatSync(fd).size;
    this.file = createWriteStream(path, { fd, highWaterMark: HIGH_WATER_BYTES });
    this.times = timesFile === undefined ? undefined : new LogTimesWriter(timesFile);
    this.closed = new Promise((resolve) => this.file.once('close', resolve));
    // A failed write (the disk is full) ends the file; the run goes on and ends as it would.
    this.file.on('error', () => undefined);
  }

  /**
   * False when the bytes waiting for the disk passed the high-water mark: pause the source until drained(). Without
   * marks the chunk was written now; with marks (none: it goes on from the last one) at the times they say.
   */
  write(chunk: Buffer, marks?: TimeMark[]): boolean {
    const lines = this.splitter.push(chunk);
    if (this.closing || this.file.destroyed) return true;
    if (marks) for (const mark of marks) this.times?.mark(this.offset + mark.at, mark.time);
    else this.times?.mark(this.offset, Date.now());
    this.offset += chunk.length;
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    if (lines.length) this.lines.push(lines);
    this.batch ??= setTimeout(() => this.flush(), BATCH_MS);
    return this.chunkBytes + this.file.writableLength < HIGH_WATER_BYTES;
  }

  /** Resolves once the bytes waiting for the disk went below the high-water mark (or the file ended). */
  drained(): Promise<void> {
    this.flush();
    if (!this.file.writableNeedDrain || this.file.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.file.off('drain', done).off('close', done);
        resolve();
      };
      this.file.on('drain', done).on('close', done);
    });
  }

  /** A line Greenroom itself adds (e.g. "Run aborted"). */
  note(line: string): void {
    this.write(Buffer.from(`${line}\n`));
  }

  /** Writes what is left, closes the file, then forwards the unterminated last line (once, however often called). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.flush();
      this.file.end();
      await this.closed;
      this.times?.close(this.offset);
      this.forward(this.splitter.end());
    })();
    return this.closing;
  }

  /** The batch collected so far to the disk; its lines to subscribers once written. */
  private flush(): void {
    clearTimeout(this.batch);
    this.batch = undefined;
    if (!this.chunks.length) return;
    const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.chunkBytes);
    const lines = this.lines.length === 1 ? this.lines[0] : this.lines.flat();
    this.chunks = [];
    this.chunkBytes = 0;
    this.lines = [];
    this.times?.flush();
    this.file.write(bytes, (error) => {
      if (!error) this.forward(lines);
    });
  }

  private forward(lines: string[]): void {
    if (lines.length === 0) return;
    if (this.handlers.onStatus) {
      // Only the last status line of a batch matters.
      for (let i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].includes('tatus message]')) continue;
        const status = parseStatusMessage(lines[i]);
        if (status) {
          this.handlers.onStatus(status);
          break;
        }
      }
    }
    this.handlers.onLines(lines);
  }
}
