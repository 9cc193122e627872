// A chatty Actor for the VS Code suite and `npm run bench:ui`: it logs `rate` lines a second, each one pushing a
// dataset item and every tenth one setting the status message (through the API at home, as files in local mode),
// for `secs` seconds; then the views are sampled against what the engine wrote to disk (the run record, the log).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, LogTerminalSnapshot, StatusBarSnapshot, TEST_HOOKS } from '../../../src/extension/testHooks';
import { FIXTURE_PLATFORM_JS, makeActor } from './helpers';

export const CHATTY_MAIN_JS = `${FIXTURE_PLATFORM_JS}
const dir = atHome ? undefined : path.join(env.APIFY_LOCAL_STORAGE_DIR, 'datasets', env.ACTOR_DEFAULT_DATASET_ID);
function ok(response) {
  if (!response.ok) throw new Error(response.url + ': HTTP ' + response.status);
}
async function push(items) {
  if (atHome) return ok(await api('datasets/' + env.ACTOR_DEFAULT_DATASET_ID + '/items', { method: 'POST', body: JSON.stringify(items) }));
  for (const item of items) fs.writeFileSync(path.join(dir, String(item.n).padStart(9, '0') + '.json'), JSON.stringify(item));
}
async function setStatusMessage(text) {
  process.stdout.write('INFO  [Status message]: ' + text + '\\n');
  if (atHome) await ok(await api('actor-runs/' + env.ACTOR_RUN_ID, { method: 'PUT', body: JSON.stringify({ statusMessage: text }) }));
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const { secs = 30, rate = 1000 } = await readInput();
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const total = secs * rate;
  const start = Date.now();
  let n = 0;
  while (n < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) * rate) / 1000));
    const items = [];
    while (n < due) {
      n++;
      items.push({ n, title: 'Item ' + n, at: Date.now() });
    }
    if (items.length) {
      await push(items);
      let statusAt;
      for (const item of items) {
        process.stdout.write('INFO  Pushed item ' + item.n + '\\n');
        if (item.n % 10 === 0) statusAt = item.n;
      }
      if (statusAt) await setStatusMessage('Pushed ' + statusAt + ' items');
    }
    await sleep(10);
  }
  console.log('done: ' + n + ' items');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
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
  return { status: record.status, statusMessage: record.statusMessage, pushed: pushedCount(runLogTail(actorRoot, runId)), finishedAt: record.finishedAt };
}

/** The last bytes of a run's log: what a failed assertion shows of why the run ended as it did. */
export function runLogTail(actorRoot: string, runId: string, bytes = 400): string {
  return logTail(path.join(actorRoot, '.greenroom', 'runs', `${runId}.log`), bytes);
}

function logTail(file: string, bytes: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
