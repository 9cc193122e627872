/**
 * A run's memory and CPU samples over time, for the run view's charts: one JSON line per Docker stats sample
 * (`[epochMillis, memBytes, cpuPercent]`) appended beside the run's log in `runs/<id>.stats.jsonl`. Appended in the
 * background through a write stream (the extension host's event loop stays free); read back thinned to a bounded
 * number of points, so a day-long run costs what a minute-long one does.
 */
import { createReadStream, createWriteStream, existsSync, WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StatsSample } from './types';

/** [time in ms since the epoch, memory in bytes, CPU in percent of one core]. */
export type TimedSample = [number, number, number];

/** Appends samples to one run's file; `close()` once the container is followed no more. */
export class SampleWriter {
  private stream: WriteStream | undefined;

  constructor(private readonly file: string) {}

  add(sample: StatsSample, at = Date.now()): void {
    this.stream ??= createWriteStream(this.file, { flags: 'a' }).on('error', () => undefined);
    this.stream.write(JSON.stringify([at, sample.memBytes, Math.round(sample.cpuUsage * 100) / 100]) + '\n');
  }

  close(): void {
    this.stream?.end();
    this.stream = undefined;
  }
}

/** The samples of a run, at most `maxPoints` (every n-th one kept, and always the last); [] when there are none. */
export async function readSamples(file: string, maxPoints = 2000): Promise<TimedSample[]> {
  if (!existsSync(file)) return [];
  const all: TimedSample[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    try {
      const sample = JSON.parse(line) as unknown;
      if (Array.isArray(sample) && sample.length === 3 && sample.every((n) => typeof n === 'number')) all.push(sample as TimedSample);
    } catch {
      // A line cut short by a crash: skipped.
    }
  }
  return thin(all, maxPoints);
}

export function thin<T>(points: T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points;
  const step = Math.ceil(points.length / maxPoints);
  const kept = points.filter((_, index) => index % step === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]);
  return kept;
}
