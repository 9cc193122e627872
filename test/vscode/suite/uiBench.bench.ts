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
      const term = terminals.find((terminal) => terminal.name.endsWith(`Run ${runId}`));
      const truth = engineTruth(actorRoot, runId);
      const terminal = TERMINAL.test(truth.status);
      if (terminal && engineEnd === undefined) {
        engineEnd = t;
        lag.disable();
      }
      samples.push({
        t,
        engine: { pushed: truth.pushed, terminal },
        bar: bar.visible ? pushedCount(bar.tooltip) : -1,
        barHidden: !bar.visible,
        tree: pushedCount(row?.description),
        treeTerminal: TERMINAL.test(row?.description ?? ''),
        terminal: pushedCount(term?.lastLine),
        terminalEnded: !!term?.ended,
      });
      const last = samples[samples.length - 1];
      if (engineEnd !== undefined && ((last.barHidden && last.treeTerminal && last.terminalEnded) || t - engineEnd > GIVE_UP_AFTER_END_MS)) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_MS - (Date.now() - t))));
    }

    await viewerSampling;
    const hottest = await profile?.();
    const final = JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
    const itemsOnDisk = fs.readdirSync(datasetDir).filter((file) => file.endsWith('.json')).length;
    const running = samples.filter((sample) => !sample.engine.terminal);
    const ms = (ns: number) => ns / 1e6;
    const lines = [
      `UI bench: ${RATE} log lines + ${RATE} dataset items a second for ${SECS} s; ${samples.length} samples every ${SAMPLE_MS} ms over ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  extension host event-loop delay while running: p50 ${ms(lag.percentile(50)).toFixed(1)} ms · p99 ${ms(lag.percentile(99)).toFixed(1)} ms · max ${ms(lag.max).toFixed(1)} ms (target p99 ≤ ${TARGET_LAG_P99_MS} ms)`,
      `  the run ended ${final.status} (exit code ${final.exitCode}) with ${itemsOnDisk} items; its log says ${samples[samples.length - 1].engine.pushed} pushed`,
    ];
    for (const [name, shown] of [
      ['status bar (status message)', (s: Sample) => s.bar],
      ['Runs view (status message)', (s: Sample) => s.tree],
      ['log terminal (last line)', (s: Sample) => s.terminal],
    ] as const) {
      const behind = running.filter((s) => shown(s) > 0).map((s) => (s.t - samples.find((e) => e.engine.pushed >= shown(s))!.t) / 1000);
      const missing = running.filter((s) => shown(s) <= 0).length;
      lines.push(`  ${name} behind the engine: ${summary(behind)} s${missing ? ` (${missing} samples showed nothing yet)` : ''} (target ≤ ${TARGET_BEHIND_S} s)`);
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
    if (hottest) lines.push('  hottest functions of the extension host while running (self time):', ...hottest.map((line) => `    ${line}`));
    console.log(lines.join('\n'));
  });
});

/** BENCH_UI_PROFILE=1: a CPU profile of the extension host (the inspector of this very process); returns its stop. */
async function startProfile(): Promise<() => Promise<string[]>> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string) => new Promise<T>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: inspector.Profiler.Profile }>('Profiler.stop');
    session.disconnect();
    const selfMicros = new Map<string, number>();
    const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples?.length ?? 1);
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    for (const id of profile.samples ?? []) {
      const { callFrame } = byId.get(id)!;
      const key = `${callFrame.functionName || '(anonymous)'} ${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}`;
      selfMicros.set(key, (selfMicros.get(key) ?? 0) + interval);
    }
    const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
    return [...selfMicros.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([key, micros]) => `${(micros / 1000).toFixed(0).padStart(6)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
  };
}

function summary(values: number[]): string {
  if (!values.length) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return `p50 ${at(50).toFixed(2)} · p99 ${at(99).toFixed(2)} · max ${sorted[sorted.length - 1].toFixed(2)}`;
}
