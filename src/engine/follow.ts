/**
 * Following a run or a build as a person watches it: its log from the file (so nothing is lost or doubled,
 * whichever process writes it), then what is appended, with the record each time its status changes, until
 * it ends. Wakes on this engine's events and, for records another process writes (the CLI, another window),
 * on file-system notifications of the runs or builds folder.
 */
import { closeSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LineSplitter } from './logs';
import type { ActorLayout, RecordStore } from './recordStore';
import { BuildRecord, EngineEvent, isTerminal, RunRecord } from './types';

export type FollowSubject = { kind: 'run'; runId: string } | { kind: 'build'; buildId: string };

export type FollowEvent =
  /** Complete log lines, in order (a last line without a newline comes once the record is final). */
  | { type: 'lines'; lines: string[] }
  /** The record, first as found and then whenever its status, status message or container URL changes. The last one is final. */
  | { type: 'record'; record: RunRecord | BuildRecord }
  /** The record no longer exists (deleted meanwhile, or never did). */
  | { type: 'missing' };

export interface FollowOptions {
  /** From the log's start (default), or from where the current container's output begins (a resurrected run). */
  fromStart?: boolean;
  /** Stops following (the iteration ends). */
  signal?: AbortSignal;
  /** False: only the record (e.g. waiting for a run to finish), the log is never read. */
  log?: boolean;
}

interface FollowSources {
  layout: ActorLayout;
  store: RecordStore;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Bytes read from the log per step, so a huge log is replayed with bounded memory. */
const READ_CHUNK = 256 * 1024;

export async function* follow(sources: FollowSources, subject: FollowSubject, options: FollowOptions = {}): AsyncGenerator<FollowEvent> {
  const { layout, store } = sources;
  const id = subject.kind === 'run' ? subject.runId : subject.buildId;
  const file = subject.kind === 'run' ? layout.runLog(id) : layout.buildLog(id);
  const record = (): RunRecord | BuildRecord | undefined => (subject.kind === 'run' ? store.getRun(id) : store.getBuild(id));
  const first = record();
  let offset = options.fromStart === false && first && 'greenroom' in first && 'logOffset' in first.greenroom ? first.greenroom.logOffset : 0;

  let pending = true;
  let wake: () => void = () => undefined;
  const nudge = () => {
    pending = true;
    wake();
  };
  const unsubscribe = sources.onEvent((event) => {
    if (concerns(event, subject)) nudge();
  });
  const watcher = watchFolder(dirname(file), id, nudge);
  options.signal?.addEventListener('abort', nudge, { once: true });

  const splitter = new LineSplitter();
  const buffer = Buffer.alloc(READ_CHUNK);
  /** Reads what the file gained, one chunk per step. */
  function* appended(): Generator<string[]> {
    if (options.log === false) return;
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, READ_CHUNK, offset);
        if (read === 0) return;
        offset += read;
        const lines = splitter.push(buffer.subarray(0, read));
        if (lines.length) yield lines;
      }
    } finally {
      closeSync(fd);
    }
  }

  let shown = '';
  try {
    while (!options.signal?.aborted) {
      pending = false;
      // The record first: once it is final, everything its log will hold is already in the file.
      const now = record();
      for (const lines of appended()) {
        yield { type: 'lines', lines };
        // A long log is replayed a chunk per turn of the event loop, so the process stays responsive.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (!now) {
        yield { type: 'missing' };
        return;
      }
      const final = isTerminal(now.status);
      if (final) {
        const rest = splitter.end();
        if (rest.length) yield { type: 'lines', lines: rest };
      }
      const key = JSON.stringify([now.status, now.statusMessage, 'containerUrl' in now ? now.containerUrl : null]);
      if (key !== shown || final) {
        shown = key;
        yield { type: 'record', record: now };
      }
      if (final) return;
      if (!pending) await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    unsubscribe();
    watcher?.close();
    options.signal?.removeEventListener('abort', nudge);
  }
}

function concerns(event: EngineEvent, subject: FollowSubject): boolean {
  if (subject.kind === 'run') {
    return (
      ((event.type === 'run-log' || event.type === 'run-deleted') && event.runId === subject.runId) || (event.type === 'run-status' && event.run.id === subject.runId)
    );
  }
  return (
    ((event.type === 'build-log' || event.type === 'build-deleted') && event.buildId === subject.buildId) ||
    (event.type === 'build-status' && event.build.id === subject.buildId)
  );
}

/** Notifications for `<id>.json` and `<id>.log` in the folder (written by any process); none when the folder cannot be watched. */
function watchFolder(folder: string, id: string, onChange: () => void): FSWatcher | undefined {
  try {
    statSync(folder);
    const watcher = watch(folder, { persistent: false }, (_event, name) => {
      if (!name || basename(name.toString()).startsWith(`${id}.`)) onChange();
    });
    watcher.on('error', () => undefined);
    return watcher;
  } catch {
    return undefined;
  }
}
