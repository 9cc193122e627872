// A chatty Actor for the VS Code suite and `npm run bench:ui`: it logs `rate` lines a second, each one pushing a
// dataset item (an item file, the local storage layout) and every tenth one setting the status message, for `secs`
// seconds; then the views are sampled against what the engine wrote to disk (the run record, the log).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, LogTerminalSnapshot, StatusBarSnapshot, TEST_HOOKS } from '../../../src/extension/testHooks';
import { makeActor } from './helpers';

export const CHATTY_MAIN_JS = `const fs = require('fs');
const path = require('path');
const env = process.env;
const input = path.join(env.APIFY_LOCAL_STORAGE_DIR, 'key_value_stores', env.ACTOR_DEFAULT_KEY_VALUE_STORE_ID, env.ACTOR_INPUT_KEY + '.json');
const { secs = 30, rate = 1000 } = fs.existsSync(input) ? JSON.parse(fs.readFileSync(input, 'utf8')) : {};
const dir = path.join(env.APIFY_LOCAL_STORAGE_DIR, 'datasets', env.ACTOR_DEFAULT_DATASET_ID);
fs.mkdirSync(dir, { recursive: true });
const total = secs * rate;
const start = Date.now();
let n = 0;
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000));
  while (n < due) {
    n++;
    fs.writeFileSync(path.join(dir, String(n).padStart(9, '0') + '.json'), JSON.stringify({ n, title: 'Item ' + n, at: Date.now() }));
    process.stdout.write('INFO  Pushed item ' + n + '\\n');
    if (n % 10 === 0) process.stdout.write('INFO  [Status message]: Pushed ' + n + ' items\\n');
  }
  if (n >= total) {
    clearInterval(timer);
    console.log('done: ' + n + ' items');
  }
}, 10);
`;
const DOCKERFILE = 'FROM apify/actor-node:20\nCOPY main.js /chatty/main.js\nCMD ["node", "/chatty/main.js"]\n';

export const runsView = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView));
export const statusBar = () => Promise.resolve(vscode.commands.executeCommand<StatusBarSnapshot>(TEST_HOOKS.runStatusBar));
export const logTerminals = () => Promise.resolve(vscode.commands.executeCommand<LogTerminalSnapshot[]>(TEST_HOOKS.logTerminals));

export async function makeChattyActor(dir: string): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  await makeActor(dir, DOCKERFILE, { 'main.js': CHATTY_MAIN_JS });
}

/** The number in the last "Pushed N items"/"Pushed item N" of `text`, else 0. */
export function pushedCount(text: string | undefined): number {
  const matches = [...(text ?? '').matchAll(/Pushed (?:item )?(\d+)/g)];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
}

/** What the engine has written so far: the run's record and how many items its log reports pushed. */
export function engineTruth(actorRoot: string, runId: string): { status: string; statusMessage: string | null; pushed: number; finishedAt: string | null } {
  const record = JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
  return { status: record.status, statusMessage: record.statusMessage, pushed: pushedCount(logTail(path.join(actorRoot, '.greenroom', 'runs', `${runId}.log`))), finishedAt: record.finishedAt };
}

function logTail(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 400);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
