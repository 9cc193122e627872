/**
 * Debug runs and dev mode against a real Docker engine (docs/debugging.md): debugpy brought into a Python image and
 * driven by a DAP client to a breakpoint, Node's inspector waiting before the first line, the refusals before any
 * container, and dev mode's source mount (edits run without a build; storages and ignored files never mounted).
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import WebSocket from 'ws';
import { ActorEngine, findHostDebugpy, RunOptionsError } from '../../src/engine';
import { readJsonRecordText } from '../../src/storage';
import { copyFixture, docker, ensurePythonBaseImage, PYTHON_BASE_IMAGE } from './fixtures';
import { makeEngine, runCli } from './helpers';

function containerOf(engine: ActorEngine, runId: string): { Binds: string[] | null; Entrypoint: string[]; Cmd: string[] } {
  const info = JSON.parse(docker(['inspect', engine.getRun(runId)!.greenroom.containerId!]))[0];
  return { Binds: info.HostConfig.Binds, Entrypoint: info.Config.Entrypoint, Cmd: info.Config.Cmd };
}

/** Attaches to Node's inspector on a host port, tells the waiting Actor to run, and leaves. */
async function letTheInspecteeRun(port: number): Promise<void> {
  const [inspectee] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(inspectee.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
  await new Promise((resolve) => socket.once('message', resolve));
  // Node waits at exit for an attached debugger to go: this one leaves now.
  socket.close();
}

describe('debugging: Python through debugpy', function () {
  this.timeout(180_000);
  let root: string;
  let engine: ActorEngine;
  let madeImage = false;

  before(async function () {
    if (!(await findHostDebugpy())) throw new Error('debugpy is not installed on this machine (apt install python3-debugpy: scripts/setup.sh)');
    madeImage = ensurePythonBaseImage();
    root = copyFixture('python-actor');
    engine = makeEngine(root);
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(() => {
    engine.dispose();
    if (madeImage && !process.env.GREENROOM_KEEP_TEST_IMAGES) docker(['rmi', '-f', PYTHON_BASE_IMAGE]);
  });

  it('stops at a breakpoint in the Actor\'s module, evaluates there, and the run succeeds once continued', async function () {
    const handle = await engine.run({ debug: true });
    const run = engine.getRun(handle.id)!;
    assert.equal(run.options.timeoutSecs, 0, 'a debug run has no timeout unless one is set');
    const target = await engine.waitForDebugger(handle.id).catch((error: Error) => assert.fail(`${error.message}\n${engine.readRunLog(handle.id)}`));
    assert.equal(target.runtime, 'python');
    assert.equal(target.remoteRoot, '/usr/src/app');
    assert.ok(target.port);
    const { Binds, Entrypoint } = containerOf(engine, handle.id);
    assert.deepEqual(Entrypoint, ['python3']);
    assert.ok(Binds?.some((bind) => bind.endsWith(':/greenroom/debugpy:ro')), `debugpy bound read-only: ${Binds}`);

    const client = new DebugClient('unused', 'unused', 'python');
    await client.start(target.port!);
    let disconnected = false;
    try {
      await client.initializeRequest({ adapterID: 'python', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const attached = client.attachRequest({ pathMappings: [{ localRoot: root, remoteRoot: target.remoteRoot }], justMyCode: true } as never);
      await client.waitForEvent('initialized');
      const source = join(root, 'src', '__main__.py');
      const breakpointLine = readFileSync(source, 'utf8').split('\n').findIndex((line) => line.startsWith('message =')) + 1;
      const set = await client.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: breakpointLine }] });
      assert.equal(set.body.breakpoints.length, 1);
      // debugpy may stop before it answers the attach request: listen first.
      const stoppedEvent = client.waitForEvent('stopped', 60_000);
      await client.configurationDoneRequest();
      await attached;
      const stopped = await stoppedEvent;
      assert.equal(stopped.body.reason, 'breakpoint');
      const trace = await client.stackTraceRequest({ threadId: stopped.body.threadId });
      const frame = trace.body.stackFrames[0];
      assert.equal(frame.line, breakpointLine);
      assert.equal(frame.source?.path, source, 'the container path is mapped back to the Actor folder');
      const greeting = await client.evaluateRequest({ expression: 'greeting', frameId: frame.id, context: 'repl' });
      assert.equal(greeting.body.result, "'Hello from Python'");
      const terminated = client.waitForEvent('terminated', 60_000);
      await client.continueRequest({ threadId: stopped.body.threadId });
      // debugpy says the debuggee ended; the process exits once the client goes, as VS Code's does on `terminated`.
      await terminated;
      await client.disconnectRequest({});
      disconnected = true;
      const finished = await handle.finished;
      assert.equal(finished.status, 'SUCCEEDED', engine.readRunLog(handle.id));
      assert.match(engine.readRunLog(handle.id), new RegExp(`Hello from Python in run local`));
    } finally {
      // Not once disconnected: stop() sends another disconnect, which the adapter that has gone never answers (and a
      // client attached to a port waits with no timeout).
      if (!disconnected) await client.stop().catch(() => undefined);
    }
  });

  it('refuses a Python debug run when the debugpy it is given is none, naming what to install', async function () {
    const before = engine.listRuns().length;
    await assert.rejects(engine.run({ debug: true, debugpyDir: join(root, '.actor') }), /^RunOptionsError: No debugpy package in .*\.actor .*install debugpy \(pip install debugpy, or apt install python3-debugpy\)/);
    assert.equal(engine.listRuns().length, before, 'no run record');
  });
});

describe('debugging: Node.js and the refusals', function () {
  this.timeout(180_000);
  let sdkRoot: string;
  let sdk: ActorEngine;

  before(async function () {
    sdkRoot = copyFixture('sdk-actor');
    sdk = makeEngine(sdkRoot);
    const build = await sdk.build().finished;
    assert.equal(build.status, 'SUCCEEDED', sdk.readBuildLog(build.id));
  });
  after(() => sdk.dispose());

  it('waits before the first line with the inspector on a loopback port, then runs once the debugger says go', async function () {
    const handle = await sdk.run({ debug: true, input: { count: 1, greeting: 'dbg' } });
    const target = await sdk.waitForDebugger(handle.id);
    assert.equal(target.runtime, 'node');
    assert.equal(target.host, '127.0.0.1');
    const { Entrypoint, Cmd } = containerOf(sdk, handle.id);
    assert.deepEqual([...Entrypoint, ...Cmd], ['node', '--inspect-brk=0.0.0.0:9229', 'main.js']);
    await new Promise((r) => setTimeout(r, 1000));
    assert.doesNotMatch(sdk.readRunLog(handle.id), /INPUT /, 'nothing of the Actor ran before the debugger attached');
    await letTheInspecteeRun(target.port!);
    const run = await handle.finished;
    assert.equal(run.status, 'SUCCEEDED', sdk.readRunLog(run.id));
    assert.match(sdk.readRunLog(run.id), /INPUT \{"greeting":"dbg","count":1/);
  });

  it('greenroom resurrect --debug brings a finished run back waiting for a debugger, and says where to attach', async function () {
    const first = await (await sdk.run({ input: { count: 1, greeting: 'first' } })).finished;
    assert.equal(first.status, 'SUCCEEDED', sdk.readRunLog(first.id));
    const resurrect = runCli(['resurrect', first.id, '--actor', sdkRoot, '--debug', '--json']);
    const waiting = await new Promise<RegExpMatchArray>((resolve, reject) => {
      let stderr = '';
      resurrect.child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = stderr.match(/Debugger \(node\) waiting on 127\.0\.0\.1:(\d+): attach .* with (\S+) mapped to \/usr\/src\/app/);
        if (match) resolve(match);
      });
      void resurrect.then((result) => reject(new Error(`the CLI ended (${result.code}) before saying where to attach:\n${result.stderr}`)));
    });
    assert.equal(waiting[2], sdkRoot);
    // The port is published before Node listens: attach once the log says it does, as VS Code does.
    await sdk.waitForDebugger(first.id);
    await letTheInspecteeRun(Number(waiting[1]));
    const result = await resurrect;
    assert.equal(result.code, 0, result.stderr);
    const record = JSON.parse(result.stdout);
    assert.equal(record.status, 'SUCCEEDED');
    assert.equal(record.stats.resurrectCount, 1);
    assert.equal(record.greenroom.debug.runtime, 'node');
    assert.equal(record.options.timeoutSecs, 0, 'no timeout while debugging');
  });

  it('refuses an image whose command is not node, npm start or python, before any run or container exists', async function () {
    const root = copyFixture('shell-actor');
    const engine = makeEngine(root);
    try {
      assert.equal((await engine.build().finished).status, 'SUCCEEDED');
      await assert.rejects(engine.run({ debug: true }), (error: Error) => {
        assert.ok(error instanceof RunOptionsError);
        assert.match(error.message, /^Cannot debug this Actor: the image's command "sh \/usr\/src\/app\/main.sh" does not run node, npm start or python directly\. .*set CMD in the Dockerfile/);
        return true;
      });
      assert.equal(engine.listRuns().length, 0, 'no run record');
    } finally {
      engine.dispose();
    }
  });

  it('refuses an npm start whose start script is not a plain node command, naming the fix', async function () {
    writeFileSync(join(sdkRoot, 'package.json'), JSON.stringify({ scripts: { start: 'tsx main.ts && echo done' } }));
    writeFileSync(join(sdkRoot, 'Dockerfile'), readFileSync(join(sdkRoot, 'Dockerfile'), 'utf8').replace('CMD ["node", "main.js"]', 'CMD npm start --silent'));
    try {
      const build = await sdk.build().finished;
      assert.equal(build.status, 'SUCCEEDED', sdk.readBuildLog(build.id));
      const before = sdk.listRuns().length;
      await assert.rejects(sdk.run({ debug: true }), /Cannot debug this Actor: the start script "tsx main.ts && echo done" uses shell syntax \("&"\)/);
      writeFileSync(join(sdkRoot, 'package.json'), JSON.stringify({ scripts: { start: 'tsx main.ts' } }));
      await assert.rejects(sdk.run({ debug: true }), /the start script "tsx main.ts" does not run node/);
      assert.equal(sdk.listRuns().length, before);
    } finally {
      writeFileSync(join(sdkRoot, 'package.json'), JSON.stringify({ scripts: { start: 'node main.js' } }));
    }
  });

  it('resolves `npm start --silent` to the start script\'s node command (npm is not the debuggee)', async function () {
    const handle = await sdk.run({ debug: true, input: { count: 0 } });
    const { Entrypoint, Cmd } = containerOf(sdk, handle.id);
    assert.deepEqual([...Entrypoint, ...Cmd], ['node', '--inspect-brk=0.0.0.0:9229', 'main.js']);
    await sdk.waitForDebugger(handle.id);
    await sdk.abort(handle.id);
  });
});

describe('dev mode', function () {
  this.timeout(180_000);
  let root: string;
  let engine: ActorEngine;

  before(async function () {
    root = copyFixture('sdk-actor');
    engine = makeEngine(root);
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(() => engine.dispose());

  it('runs an edit without a build, over the image\'s installed SDK, mounting neither storages nor ignored files', async function () {
    const main = join(root, 'main.js');
    writeFileSync(main, readFileSync(main, 'utf8').replace('console.log(`INPUT ', 'console.log(`EDITED INPUT '));
    const builds = engine.listBuilds().length;
    const handle = await engine.run({ devMode: true, input: { count: 1, delayMs: 4000 } });
    const { Binds } = containerOf(engine, handle.id);
    const run = await handle.finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.greenroom.devMode, true);
    assert.equal(engine.listBuilds().length, builds, 'no new build');
    const log = engine.readRunLog(run.id);
    assert.match(log, /^Greenroom: dev mode: the source in .* is mounted read-only over the image's working directory/m);
    assert.match(log, /EDITED INPUT/);
    // Local mode (no platform here) has its run storage bound too, at its own path: not the source's.
    const sourceBinds = Binds!.filter((bind) => bind.startsWith(root) && !bind.endsWith(':/greenroom/storage'));
    assert.deepEqual(sourceBinds.map((bind) => bind.slice(root.length + 1)).sort(), ['.actor:/usr/src/app/.actor:ro', '.dockerignore:/usr/src/app/.dockerignore:ro', 'Dockerfile:/usr/src/app/Dockerfile:ro', 'main.js:/usr/src/app/main.js:ro']);
    assert.doesNotMatch(log, /a build is needed/);
  });

  it('says a build is needed when the dependency files changed since the build', async function () {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { 'left-pad': '^1.0.0' } }));
    const run = await (await engine.run({ devMode: true, input: { count: 0 } })).finished;
    assert.match(engine.readRunLog(run.id), /Greenroom: dev mode: package.json changed since build .*; a build is needed for new dependencies/);
    appendFileSync(join(root, 'main.js'), '\n');
  });
});

describe('dev mode: warm starts', function () {
  this.timeout(180_000);
  let root: string;
  let engine: ActorEngine;
  const spareIds = () => docker(['ps', '-aq', '--filter', 'label=dev.greenroom.spare', '--filter', `label=dev.greenroom.actor-root=${root}`]).split('\n').filter(Boolean);
  const waitForSpare = async () => {
    for (let tries = 0; tries < 100 && spareIds().length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = spareIds();
    assert.equal(ids.length, 1, 'one container started ahead');
    return ids[0];
  };
  const output = (runId: string) => {
    const run = engine.getRun(runId)!;
    return JSON.parse(readJsonRecordText(run.greenroom.storageDir, run.defaultKeyValueStoreId, 'OUTPUT') ?? 'null');
  };

  before(async function () {
    root = copyFixture('sdk-actor');
    engine = makeEngine(root, { warmStarts: true });
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(() => engine.dispose());

  it('the next dev-mode run takes over the container started ahead: it runs the edit with its own input, storages and ids', async function () {
    const first = await engine.run({ devMode: true, input: { count: 1, greeting: 'one' } });
    assert.deepEqual(containerOf(engine, first.id).Cmd, ['-r', '/greenroom/warm/preload.cjs', 'main.js'], 'the preload in front of the Actor');
    const firstRun = await first.finished;
    assert.equal(firstRun.status, 'SUCCEEDED', engine.readRunLog(first.id));
    assert.equal(firstRun.greenroom.warmStart, undefined, 'the first run starts cold');
    const spare = await waitForSpare();

    const main = join(root, 'main.js');
    writeFileSync(main, readFileSync(main, 'utf8').replace('console.log(`INPUT ', 'console.log(`WARM INPUT '));
    const second = await engine.run({ devMode: true, input: { count: 2, greeting: 'two' } });
    const container = engine.getRun(second.id)!.greenroom.containerId!;
    const run = await second.finished;
    const log = engine.readRunLog(run.id);
    assert.equal(run.status, 'SUCCEEDED', log);
    assert.equal(run.greenroom.warmStart, true);
    assert.ok(container.startsWith(spare), 'the run took over the spare');
    assert.match(log, /WARM INPUT \{"greeting":"two","count":2/, `the edit, with this run's input: ${log}`);
    // The SDK found this run's default storages (local mode: through the environment the run handed over).
    assert.deepEqual(output(run.id), { count: 2, secret: 's3cret-value', plain: 'plain' }, 'its storages and its environment, secrets resolved');
    assert.equal(output(first.id).count, 1);
  });

  it('a run whose container would differ (another memory) starts cold, and the spare goes', async function () {
    const spare = await waitForSpare();
    const run = await (await engine.run({ devMode: true, memoryMbytes: 512, input: { count: 0 } })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.greenroom.warmStart, undefined);
    assert.ok(!spareIds().includes(spare), 'the spare that did not fit was removed');
  });

  it('a file saved as a new file renamed over the old one (the spare\'s bind shows the old one): the run starts cold, with the new file', async function () {
    await waitForSpare();
    const main = join(root, 'main.js');
    writeFileSync(`${main}.new`, readFileSync(main, 'utf8').replace('WARM INPUT ', 'RENAMED INPUT '));
    renameSync(`${main}.new`, main);
    const run = await (await engine.run({ devMode: true, input: { count: 0 } })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.greenroom.warmStart, undefined);
    assert.match(engine.readRunLog(run.id), /RENAMED INPUT/);
  });

  it('a spare goes with the engine', async function () {
    const spare = await waitForSpare();
    engine.dispose();
    for (let tries = 0; tries < 50 && spareIds().includes(spare); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(spareIds(), []);
  });
});
