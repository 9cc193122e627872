/**
 * Log capture: raw bytes go straight to the log file (cheap even for millions of lines); complete lines
 * are handed to subscribers in batches and scanned for the SDKs' status-message lines.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

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

/** Appends to a log file and forwards lines. Synchronous writes keep the file in step with the events. */
export class LogSink {
  private readonly fd: number;
  private readonly splitter = new LineSplitter();

  constructor(
    file: string,
    private readonly handlers: LogSinkHandlers,
  ) {
    // Only ever appended to: what a log holds is never rewritten.
    this.fd = openSync(file, 'a');
  }

  write(chunk: Buffer): void {
    writeSync(this.fd, chunk);
    this.forward(this.splitter.push(chunk));
  }

  /** A line Greenroom itself adds (e.g. "Run aborted"). */
  note(line: string): void {
    this.write(Buffer.from(`${line}\n`));
  }

  close(): void {
    this.forward(this.splitter.end());
    closeSync(this.fd);
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
