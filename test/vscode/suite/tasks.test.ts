// The Tasks view in the real VS Code: tasks and schedules written to the Actor's .actor/ files show up (a schedule
// with its next fire), a task runs from its command into the Runs view (task named, SUCCEEDED), and a broken file is
// named in the view.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { TEST_HOOKS, type DrawnItem } from '../../../src/extension/testHooks';
import { DOCKER_WAIT_CEILING_MS, activateExtension, waitUntil, workspaceRoot } from './helpers';

const tasksItems = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.tasksView));
const runItems = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView));

describe('Tasks view (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  let actorRoot: string;
  const files = () => ({ tasks: path.join(actorRoot, '.actor', 'tasks.json'), schedules: path.join(actorRoot, '.actor', 'schedules.json') });

  before(async () => {
    await activateExtension();
    actorRoot = workspaceRoot().fsPath;
  });
  after(() => {
    fs.rmSync(files().tasks, { force: true });
    fs.rmSync(files().schedules, { force: true });
  });

  it('shows the tasks and the schedules with their next fire; runs a task into the Runs view', async () => {
    fs.writeFileSync(files().tasks, JSON.stringify({ 'short-hello': { title: 'Say hi once', input: { names: ['Task'], greeting: 'Hi', repeat: 1 } } }));
    fs.writeFileSync(files().schedules, JSON.stringify({ yearly: { cron: '0 0 1 1 *', task: 'short-hello' } }));
    const items = await waitUntil('the task and the schedule in the Tasks view', tasksItems, (shown) => shown.some((i) => i.label === 'short-hello') && shown.some((i) => i.label === 'yearly'));
    const task = items.find((i) => i.label === 'short-hello')!;
    assert.strictEqual(task.description, 'Say hi once');
    assert.strictEqual(task.contextValue, 'greenroom.task');
    assert.match(items.find((i) => i.label === 'yearly')!.description ?? '', /^0 0 1 1 \* · next /);

    const runId = await vscode.commands.executeCommand<string>('greenroom.runTask', { actorRoot, taskName: 'short-hello' });
    assert.ok(runId, 'greenroom.runTask returned no run id');
    const run = await waitUntil(
      `run ${runId} to finish in the Runs view`,
      async () => (await runItems()).find((i) => i.runId === runId),
      (item) => /^SUCCEEDED/.test(item?.description ?? ''),
      DOCKER_WAIT_CEILING_MS,
    );
    assert.match(run!.description!, /task short-hello/);
  });

  it('names a tasks file that cannot be read', async () => {
    fs.writeFileSync(files().tasks, '{ not json');
    const items = await waitUntil('the broken file in the Tasks view', tasksItems, (shown) => shown.some((i) => i.contextValue === 'greenroom.tasksProblem'));
    assert.match(items.find((i) => i.contextValue === 'greenroom.tasksProblem')!.description ?? '', /not valid JSON/);
  });
});
