/**
 * One container's output into the run's log file, every byte of it, with bounded memory. The live `logs`
 * stream can lag far behind a fast-logging container, so after the container exits we keep reading until
 * Docker ends the stream; a stream that breaks (the engine stopped) or stalls is reopened, and the bytes the
 * log already holds are skipped. The same byte count lets a re-attach resume where the file ends instead of
 * rewriting it. The stream asks for Docker's timestamps: each frame's time (when the container wrote it, however
 * late it is read, even while Greenroom was away) goes to the log's times file and is cut from the bytes, so the
 * log and the byte count hold exactly what the container wrote.
 */
import type Docker from 'dockerode';
import type { EngineContext } from './context';
import { isNotFound } from './dockerClient';
import type { LogSink, TimeMark } from './logs';

/** Silence after the container exited that counts as a stalled stream (it is then reopened, nothing is lost). */
const LOG_STALL_MS = 10_000;
/** Reopened streams after the exit before giving up on the rest of the log (each resumes where the last one ended). */
const MAX_REOPENS_AFTER_EXIT = 3;
/** Between checks that Docker answers again after it stopped answering. */
export const DOCKER_RETRY_MS = 1000;

export class ContainerLog {
  /** Payload bytes of this container already in the log file. */
  private received: number;
  private exited = false;
  /** Bytes Docker sent, skipped ones too: what the stall watchdog watches. */
  private seen = 0;
  /** The stream is paused until the log file caught up: a silence that is ours, not a stall. */
  private waitingForDisk = false;
  /** The last stream was live when Docker ended it: it may have ended before delivering everything. */
  private endedLive = false;
  private current: AbortController | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly ctx: EngineContext,
    private readonly container: Docker.Container,
    private readonly sink: LogSink,
    /** Bytes the log file already holds for this container (a re-attach), skipped when Docker replays them. */
    alreadyWritten: number,
    /** Ends everything (the engine is disposed). */
    private readonly signal: AbortSignal,
    /** The stream broke: the engine may have gone away (a request waiting on it may hang for ever, unaware). */
    private readonly onBroken: () => void = () => undefined,
  ) {
    this.received = alreadyWritten;
    this.done = this.capture();
  }

  /**
   * The container has exited: resolves once every byte it wrote is in the log (or it cannot be had: the
   * container is gone, or Docker keeps failing). Never a fixed deadline: a stream that still delivers is read
   * to its end; only a silent one is reopened.
   */
  async drain(): Promise<void> {
    this.exited = true;
    let last = -1;
    const watchdog = setInterval(() => {
      if (this.seen === last && !this.waitingForDisk) this.current?.abort();
      last = this.seen;
    }, LOG_STALL_MS);
    try {
      await this.done;
      // Docker can end a live stream at the exit before it delivered everything; the log of an exited container is complete.
      // A replay that breaks is reopened (it resumes where the log file ends), like a live stream after the exit.
      for (let attempt = 0; this.endedLive && !this.signal.aborted && attempt <= MAX_REOPENS_AFTER_EXIT; attempt++) {
        if ((await this.readOnce().catch(() => 'broken' as const)) === 'ended') break;
        await sleep(DOCKER_RETRY_MS, this.signal);
      }
    } finally {
      clearInterval(watchdog);
      await this.sink.close();
    }
  }

  private async capture(): Promise<void> {
    let reopensAfterExit = 0;
    while (!this.signal.aborted) {
      const outcome = await this.readOnce().catch((error: unknown) => (isNotFound(error) ? 'gone' : 'broken'));
      if (outcome !== 'broken' || this.signal.aborted) return;
      this.onBroken();
      if (!this.exited) {
        // The engine stopped answering (restart, crash): pick the stream up again once it is back.
        await this.untilDockerAnswers();
      } else if (reopensAfterExit++ < MAX_REOPENS_AFTER_EXIT) {
        await sleep(DOCKER_RETRY_MS, this.signal);
      } else {
        this.sink.note("Greenroom: the end of the container's log could not be read from Docker");
        return;
      }
    }
  }

  /**
   * Reads one live `logs` stream to its end, writing what is new: 'ended' when Docker ended it (the container has
   * stopped and everything is delivered; for a container that already exited, Docker replays its whole log and
   * ends), 'broken' when the connection broke or the stream was abandoned.
   */
  private async readOnce(): Promise<'ended' | 'broken'> {
    const { docker } = this.ctx;
    const own = (this.current = new AbortController());
    const signal = AbortSignal.any([this.signal, own.signal]);
    // No call deadline: the stream lives as long as the container (or as long as the replay takes).
    const stream = (await docker.call(
      'follow logs',
      (abortSignal) => this.container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, abortSignal }),
      { timeoutMs: 0, signal },
    )) as NodeJS.ReadableStream & { destroy(): void };
    const demux = new FrameDemuxer();
    let skip = this.received;
    const live = !this.exited;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (how: 'ended' | 'broken') => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        stream.destroy();
        resolve(how);
      };
      const onAbort = () => settle('broken');
      signal.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => {
        this.seen += chunk.length;
        let { payload, marks } = demux.push(chunk);
        if (skip > 0) {
          const skipped = Math.min(skip, payload.length);
          skip -= skipped;
          payload = payload.subarray(skipped);
          marks = afterSkip(marks, skipped);
        }
        if (payload.length === 0) return;
        this.received += payload.length;
        // The disk is behind: Docker keeps the rest until the file caught up.
        if (!this.sink.write(payload, marks)) {
          stream.pause();
          this.waitingForDisk = true;
          void this.sink.drained().then(() => {
            this.waitingForDisk = false;
            stream.resume();
          });
        }
      });
      // A cut connection emits 'error' or 'close' without 'end'.
      stream.on('end', () => {
        this.endedLive = live;
        settle('ended');
      });
      stream.on('error', () => settle('broken'));
      stream.on('close', () => settle('broken'));
    });
  }

  private async untilDockerAnswers(): Promise<void> {
    while (!this.signal.aborted) {
      const answered = await this.ctx.docker.ping(this.signal).then(
        () => true,
        () => false,
      );
      if (answered) return;
      await sleep(DOCKER_RETRY_MS, this.signal);
    }
  }
}

/** The marks of what is left of a payload once its first `skipped` bytes are dropped: the one in force there moves to 0. */
function afterSkip(marks: TimeMark[], skipped: number): TimeMark[] {
  const kept = marks.filter((mark) => mark.at >= skipped).map((mark) => ({ at: mark.at - skipped, time: mark.time }));
  const inForce = marks.filter((mark) => mark.at < skipped).pop();
  if (inForce && kept[0]?.at !== 0) kept.unshift({ at: 0, time: inForce.time });
  return kept;
}

/** Longest timestamp Docker puts before a frame's payload (RFC 3339 with nanoseconds and a zone offset), its space included. */
const MAX_STAMP_BYTES = 40;
const SPACE = 0x20;

/**
 * Docker's multiplexed stdout/stderr stream (8-byte frame headers) with timestamps to the bytes the container wrote,
 * in order, and where each frame's time begins in them (the first mark, at 0, is the time of the frame the chunk
 * starts in). Each frame's payload starts with its time and a space, which are cut; a frame that starts otherwise
 * (an engine that ignored `timestamps`) is kept whole. Linear in the input (dockerode's demuxStream copies the rest
 * of its buffer on every frame, which cannot keep up with a container printing many short lines).
 */
export class FrameDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  /** The frame's timestamp as read so far, while it is being read. */
  private stamp: string | undefined;
  /** The time of the frame being read. */
  private time: number | undefined;

  push(chunk: Buffer): { payload: Buffer; marks: TimeMark[] } {
    const pieces: Buffer[] = [];
    const marks: TimeMark[] = [];
    let length = 0;
    const emit = (piece: Buffer) => {
      pieces.push(piece);
      length += piece.length;
    };
    if (this.remaining > 0 && this.stamp === undefined && this.time !== undefined) marks.push({ at: 0, time: this.time });
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0 && this.stamp !== undefined) {
        const frameEnd = Math.min(chunk.length, at + this.remaining, at + MAX_STAMP_BYTES - this.stamp.length);
        const space = chunk.indexOf(SPACE, at);
        const end = space !== -1 && space < frameEnd ? space + 1 : frameEnd;
        this.stamp += chunk.toString('latin1', at, end);
        this.remaining -= end - at;
        at = end;
        if (this.stamp.endsWith(' ') || this.remaining === 0 || this.stamp.length >= MAX_STAMP_BYTES) {
          const time = this.stamp.endsWith(' ') ? Date.parse(this.stamp.slice(0, -1)) : Number.NaN;
          if (Number.isFinite(time)) {
            this.time = time;
            marks.push({ at: length, time });
          } else emit(Buffer.from(this.stamp, 'latin1'));
          this.stamp = undefined;
        }
      } else if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        emit(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
      } else {
        const take = Math.min(8 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill === 8) {
          this.headerFill = 0;
          this.remaining = this.header.readUInt32BE(4);
          if (this.remaining > 0) this.stamp = '';
        }
      }
    }
    return { payload: pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, length), marks };
  }
}

export function sleep(millis: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, millis);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
