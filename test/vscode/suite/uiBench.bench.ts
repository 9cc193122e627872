// `npm run bench:ui` (bench/ui.ts) runs this inside the real extension host: a chatty run (BENCH_UI_RATE lines and
// items a second, default 1,000, for BENCH_UI_SECS, default 30) while the host's event-loop delay is sampled
// (perf_hooks: the suite shares the extension's event loop) and the status bar, the Runs view and the log terminal are
// compared with what the engine has written. Prints figures, asserts nothing about them. Not a *.test.js file: the suite loads it only for the bench.
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import { engineTruth, logTerminals, makeChattyActor, pushedCount, runsView, statusBar } from './chattyRun';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import { activateExtension, waitFor, workspaceRoot } from './helpers';

const SECS = Number(process.env.BENCH_UI_SECS) || 30;
const RATE = Number(process.env.BENCH_UI_RATE) || 1000;
const SAMPLE_MS = 250;
/** How long after the engine finished the views may take before the bench gives up waiting for them. */
const GIVE_UP_AFTER_END_MS = 5 * 60_000;
const TARGET_LAG_P99_MS = 50;
const TARGET_BEHIND_S = 1;

interface Sample {
  t: number;
  engine: { pushed: number; terminal: boolean };
  bar: number;
  barHidden: boolean;
  tree: number;
  treeTerminal: boolean;
  terminal: number;
  terminalOpened: boolean;
  terminalEnded: boolean;
}

const TERMINAL = /^(SUCCEEDED|FAILED|TIMED-OUT|ABORTED)\b/;

describe('UI bench: a chatty run', function () {
  this.timeout(0);

  it(`measures the extension host under ${RATE} log lines and items a second for ${SECS} s`, async () => {
    await activateExtension();
    const actorRoot = path.join(workspaceRoot().fsPath, 'chatty');
    await makeChattyActor(actorRoot);
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
    const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot, input: { secs: SECS, rate: RATE } });
    await waitFor('the run to start', () => (engineTruth(actorRoot, runId).status === 'RUNNING' ? true : undefined), 120_000);
    await vscode.commands.executeCommand('greenroom.showLog', { actorRoot, runId });
    const datasetDir = await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot, runId });

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const profile = process.env.BENCH_UI_PROFILE ? await startProfile() : undefined;
    const samples: Sample[] = [];
    const started = Date.now();
    const cpuAtStart = process.cpuUsage();
    let cpuWhileRunning: NodeJS.CpuUsage | undefined;
    let engineEnd: number | undefined;
    // The viewer answers through its webview (a round trip through the workbench): sampled on its own, so that a slow
    // answer does not hold up the other samples.
    const viewerSamples: { range: string; pagerGeneration: number }[] = [];
    let viewerUnanswered = 0;
    const viewerSampling = (async () => {
      while (engineEnd === undefined) {
        await Promise.resolve(vscode.commands.executeCommand<{ range: string; pagerGeneration: number }>(TEST_HOOKS.datasetViewer, datasetDir, { kind: 'snapshot' })).then(
          (viewer) => viewerSamples.push(viewer),
          () => viewerUnanswered++,
        );
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();
    for (;;) {
      const t = Date.now();
      const [bar, tree, terminals] = await Promise.all([statusBar(), runsView(), logTerminals()]);
      const row = tree.find((item) => item.runId === runId);
      const term = terminals.find((terminal) => terminal.id === runId);
      const truth = engineTruth(actorRoot, runId);
      const terminal = TERMINAL.test(truth.status);
      if (terminal && engineEnd === undefined) {
        engineEnd = t;
        lag.disable();
        cpuWhileRunning = process.cpuUsage(cpuAtStart);
      }
      samples.push({
        t,
        engine: { pushed: truth.pushed, terminal },
        bar: bar.visible ? pushedCount(bar.tooltip) : -1,
        barHidden: !bar.visible,
        tree: pushedCount(row?.description),
        treeTerminal: TERMINAL.test(row?.description ?? ''),
        terminal: pushedCount(term?.lastLines.join('\n')),
        terminalOpened: !!term?.opened,
        terminalEnded: !!term?.ended,
      });
      const last = samples[samples.length - 1];
      if (engineEnd !== undefined && ((last.barHidden && last.treeTerminal && last.terminalEnded) || t - engineEnd > GIVE_UP_AFTER_END_MS)) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_MS - (Date.now() - t))));
    }

    await viewerSampling;
    const artifacts = process.env.GREENROOM_SCREENSHOT_DIR && path.dirname(process.env.GREENROOM_SCREENSHOT_DIR);
    if (artifacts) fs.writeFileSync(path.join(artifacts, 'ui-bench-samples.json'), JSON.stringify(samples.map((s) => ({ ...s, t: s.t - started }))));
    const profiled = await profile?.();
    const final = JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
    const itemsOnDisk = fs.readdirSync(datasetDir).filter((file) => file.endsWith('.json')).length;
    const running = samples.filter((sample) => !sample.engine.terminal);
    const ms = (ns: number) => ns / 1e6;
    const lines = [
      `UI bench: ${RATE} log lines + ${RATE} dataset items a second for ${SECS} s; ${samples.length} samples every ${SAMPLE_MS} ms over ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  extension host event-loop delay while running: p50 ${ms(lag.percentile(50)).toFixed(1)} ms · p99 ${ms(lag.percentile(99)).toFixed(1)} ms · max ${ms(lag.max).toFixed(1)} ms (target p99 ≤ ${TARGET_LAG_P99_MS} ms)`,
      `  the run ended ${final.status} (exit code ${final.exitCode}) with ${itemsOnDisk} items; its log says ${samples[samples.length - 1].engine.pushed} pushed`,
    ];
    // How long a view has been stale: since the engine first had more than the view shows (0 while it shows what the
    // engine has; a view that shows nothing yet is stale since the engine's first item). Samples before the engine's
    // first item do not count. A terminal's count is the last one among the last lines it was written (the Actor's
    // closing "done" line carries none), and never goes down.
    const pushing = running.filter((s) => s.engine.pushed > 0);
    let terminalShown = 0;
    const terminalCounts = new Map(samples.map((s) => [s, (terminalShown = Math.max(terminalShown, s.terminal))]));
    for (const [name, shown, among] of [
      ['status bar (status message)', (s: Sample) => s.bar, pushing],
      ['Runs view (status message)', (s: Sample) => s.tree, pushing],
      ['log terminal (lines written to it)', (s: Sample) => terminalCounts.get(s)!, pushing],
      ['log terminal once VS Code opened it', (s: Sample) => terminalCounts.get(s)!, pushing.filter((s) => s.terminalOpened)],
    ] as const) {
      const stale = among.map((s) => (shown(s) >= s.engine.pushed ? 0 : (s.t - samples.find((e) => e.engine.pushed > Math.max(0, shown(s)))!.t) / 1000));
      const blank = among.filter((s) => shown(s) <= 0).length;
      lines.push(`  ${name} behind the engine: ${summary(stale)} s over ${among.length} samples${blank ? `, ${blank} of them showing nothing yet` : ''} (target ≤ ${TARGET_BEHIND_S} s)`);
    }
    const opened = samples.find((s) => s.terminalOpened);
    lines.push(`  log terminal opened by VS Code ${opened ? `${((opened.t - started) / 1000).toFixed(2)} s` : 'not'} after sampling began (Show Log was run just before)`);
    if (cpuWhileRunning) {
      const cpuMs = (cpuWhileRunning.user + cpuWhileRunning.system) / 1000;
      lines.push(`  extension host CPU time while running: ${(cpuMs / 1000).toFixed(1)} s in ${((engineEnd! - started) / 1000).toFixed(1)} s (${((100 * cpuMs) / (engineEnd! - started)).toFixed(0)} % of a core)`);
    }
    const after = (what: string, done: (s: Sample) => boolean) => {
      const at = samples.find((s) => s.t >= engineEnd! && done(s));
      return `${what} ${at ? `${((at.t - engineEnd!) / 1000).toFixed(2)} s` : `not within ${GIVE_UP_AFTER_END_MS / 1000} s`}`;
    };
    lines.push(
      `  after the engine finished: ${after('Runs view shows the final status', (s) => s.treeTerminal)} · ${after('status bar hides', (s) => s.barHidden)} · ${after('terminal prints the end', (s) => s.terminalEnded)}`,
    );
    const ranges = new Set(viewerSamples.map((s) => s.range)).size;
    const pagers = new Set(viewerSamples.map((s) => s.pagerGeneration)).size;
    lines.push(`  dataset viewer: ${viewerSamples.length} snapshots (${viewerUnanswered} unanswered), ${ranges} different counts shown, its toolbar built ${pagers} time(s)`);
    if (profiled) lines.push(...profiled.map((line) => `  ${line}`));
    console.log(lines.join('\n'));
  });
});

/**
 * BENCH_UI_PROFILE=1: a CPU profile of the extension host (the inspector of this very process), saved as
 * test-artifacts/vscode/ui-bench.cpuprofile (open it in Chrome's DevTools); returns its stop, which sums the hottest
 * functions by self time and, for the long tasks (the stretches without idle time that make the event-loop delay),
 * the functions they spent their time in (inclusive).
 */
async function startProfile(): Promise<() => Promise<string[]>> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: inspector.Profiler.Profile }>('Profiler.stop');
    session.disconnect();
    const artifacts = process.env.GREENROOM_SCREENSHOT_DIR && path.dirname(process.env.GREENROOM_SCREENSHOT_DIR);
    if (artifacts) fs.writeFileSync(path.join(artifacts, 'ui-bench.cpuprofile'), JSON.stringify(profile));
    return [...hottest(profile), ...longTasks(profile)];
  };
}

type ProfileNode = inspector.Profiler.ProfileNode;
const frameName = ({ callFrame }: ProfileNode) => `${callFrame.functionName || '(anonymous)'} ${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}`;
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

function hottest(profile: inspector.Profiler.Profile): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples?.forEach((id, i) => {
    const key = frameName(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i + 1] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [
    'hottest functions of the extension host while running (self time):',
    ...[...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, micros]) => `  ${(micros / 1000).toFixed(0).padStart(6)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`),
  ];
}

/** Stretches of at least LONG_TASK_MS without an idle sample, and what their stacks held (each function once per sample). */
const LONG_TASK_MS = 30;
function longTasks(profile: inspector.Profiler.Profile): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stack = (id: number) => {
    const names = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.add(frameName(byId.get(at)!));
    return names;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const tasks: { micros: number; samples: number[] }[] = [];
  let current: { micros: number; samples: number[] } | undefined;
  samples.forEach((id, i) => {
    const micros = deltas[i + 1] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      if (current) tasks.push(current);
      current = undefined;
      return;
    }
    current ??= { micros: 0, samples: [] };
    current.micros += micros;
    current.samples.push(i);
  });
  if (current) tasks.push(current);
  const long = tasks.filter((task) => task.micros >= LONG_TASK_MS * 1000);
  const inclusive = new Map<string, number>();
  let longMicros = 0;
  for (const task of long) {
    longMicros += task.micros;
    for (const i of task.samples) {
      for (const name of stack(samples[i])) {
        if (IDLE.has(name.split(' ')[0]) || name.startsWith('(root)')) continue;
        inclusive.set(name, (inclusive.get(name) ?? 0) + (deltas[i + 1] ?? 0));
      }
    }
  }
  const durations = long.map((task) => task.micros / 1000).sort((a, b) => b - a);
  return [
    `long tasks (≥ ${LONG_TASK_MS} ms without idle): ${long.length}, ${(longMicros / 1000).toFixed(0)} ms in all; longest ${durations.slice(0, 8).map((ms) => ms.toFixed(0)).join(', ')} ms`,
    'what the long tasks spent their time in (inclusive):',
    ...[...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([key, micros]) => `  ${(micros / 1000).toFixed(0).padStart(6)} ms ${((100 * micros) / Math.max(1, longMicros)).toFixed(1).padStart(5)} %  ${key}`),
  ];
}

function summary(values: number[]): string {
  if (!values.length) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return `p50 ${at(50).toFixed(2)} · p99 ${at(99).toFixed(2)} · max ${sorted[sorted.length - 1].toFixed(2)}`;
}
