/** How statuses, sizes, durations and times look in Greenroom's views. */
import * as vscode from 'vscode';
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

