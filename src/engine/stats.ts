/** Aggregates Docker's per-second stats samples into the platform's run stats (averages and maxima). */
import type { StatsSample } from './types';

/** One message of `GET /containers/{id}/stats?stream=1` (only the fields used). */
export interface DockerStatsMessage {
  memory_stats?: { usage?: number; stats?: { cache?: number; inactive_file?: number; total_inactive_file?: number } };
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
}

/** Memory in use without the page cache (what `docker stats` shows); CPU in percent of one core. */
export function toSample(message: DockerStatsMessage): StatsSample | undefined {
  const memory = message.memory_stats;
  if (!memory?.usage) return undefined;
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? memory.stats?.cache ?? 0;
  const cpu = message.cpu_stats;
  const precpu = message.precpu_stats;
  let cpuUsage = 0;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (precpu?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (precpu?.system_cpu_usage ?? 0);
  if (precpu?.system_cpu_usage && systemDelta > 0 && cpuDelta >= 0) {
    cpuUsage = (cpuDelta / systemDelta) * (cpu?.online_cpus ?? 1) * 100;
  }
  return { memBytes: Math.max(0, memory.usage - cache), cpuUsage };
}

export class StatsAggregator {
  private count = 0;
  private memSum = 0;
  private cpuSum = 0;
  memMaxBytes = 0;
  cpuMaxUsage = 0;

  /** Continues from a run's earlier figures (after a re-attach or resurrection). */
  constructor(previous?: { memAvgBytes?: number; memMaxBytes?: number; cpuAvgUsage?: number; cpuMaxUsage?: number }) {
    if (previous?.memAvgBytes !== undefined) {
      this.count = 1;
      this.memSum = previous.memAvgBytes;
      this.cpuSum = previous.cpuAvgUsage ?? 0;
      this.memMaxBytes = previous.memMaxBytes ?? 0;
      this.cpuMaxUsage = previous.cpuMaxUsage ?? 0;
    }
  }

  add(sample: StatsSample): void {
    this.count++;
    this.memSum += sample.memBytes;
    this.cpuSum += sample.cpuUsage;
    this.memMaxBytes = Math.max(this.memMaxBytes, sample.memBytes);
    this.cpuMaxUsage = Math.max(this.cpuMaxUsage, sample.cpuUsage);
  }

  summary(): { memAvgBytes?: number; memMaxBytes?: number; cpuAvgUsage?: number; cpuMaxUsage?: number } {
    if (this.count === 0) return {};
    return {
      memAvgBytes: Math.round(this.memSum / this.count),
      memMaxBytes: this.memMaxBytes,
      cpuAvgUsage: this.cpuSum / this.count,
      cpuMaxUsage: this.cpuMaxUsage,
    };
  }
}
