/** How statuses, sizes, durations and times look in Greenroom's views. */
import * as vscode from 'vscode';
import type { RunCost } from '../../engine/pricing';
import { BuildStatus, RunStatus } from '../../engine';

const STATUS_ICONS: Record<RunStatus | BuildStatus, [icon: string, color?: string]> = {
  READY: ['clock', 'charts.blue'],
  RUNNING: ['sync~spin', 'charts.blue'],
  'TIMING-OUT': ['watch', 'charts.orange'],
  ABORTING: ['debug-stop', 'charts.orange'],
  SUCCEEDED: ['pass-filled', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  'TIMED-OUT': ['watch', 'testing.iconFailed'],
  ABORTED: ['circle-slash', 'disabledForeground'],
};

export function statusIcon(status: RunStatus | BuildStatus): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[status];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

export function formatDuration(millis: number | undefined): string {
  if (millis === undefined || !Number.isFinite(millis)) return '';
  const secs = Math.max(0, Math.round(millis / 1000));
  if (secs < 60) return `${secs} s`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min ${secs % 60} s`;
  return `${Math.floor(secs / 3600)} h ${Math.floor((secs % 3600) / 60)} min`;
}

/** "3 records · 1.2 KB": a key-value store's records and the bytes they hold. */
export function recordsSummary(records: readonly { size: number }[]): string {
  return `${records.length} record${records.length === 1 ? '' : 's'} · ${formatBytes(records.reduce((sum, record) => sum + record.size, 0))}`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

/**
 * A USD amount to the SDK's precision (6 places), at least in cents: `$0.21`, `$1.50`, `$0.005`, and `$0.025`
 * (an event's cost must not read as `$0.03`).
 */
export function formatUsd(usd: number): string {
  const [whole, fraction = ''] = Number(usd.toFixed(6)).toString().split('.');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * A pay-per-event run's cost for the views: `total` (`$0.21`), `detail` (with what was charged above the limit) and
 * `events` (`foobar ×3 (2 within the limit)`); empty strings for a free run.
 */
export function formatRunCost(cost: RunCost | undefined): { total: string; detail: string; events: string } {
  if (!cost) return { total: '', detail: '', events: '' };
  const total = formatUsd(cost.accountedTotalUsd);
  const over = cost.chargedTotalUsd > cost.accountedTotalUsd ? ` (${formatUsd(cost.chargedTotalUsd)} charged, above the limit)` : '';
  const events = Object.entries(cost.chargedEventCounts)
    .map(([name, count]) => `${name} ×${count}${cost.accountedChargedEventCounts[name] !== count ? ` (${cost.accountedChargedEventCounts[name] ?? 0} within the limit)` : ''}`)
    .join(', ');
  return { total, detail: total + over, events: events || 'no events charged' };
}
