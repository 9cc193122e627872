/**
 * The Docker engine stopped and started again mid-run, on a dockerd of this test's own (never the shared one):
 * own socket, data root, exec root, pid file, and a bridge of its own (`--bridge none` would delete the
 * host's docker0 that the shared engine uses).
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorEngine, DockerUnavailableError, RunOptionsError } from '../../src/engine';
import { copyFixture, docker, NODE_BASE_IMAGE } from './fixtures';
import { makeEngine, waitFor } from './helpers';

const BRIDGE = 'grtest0';
const BRIDGE_CIDR = '10.213.77.1/24';

class OwnDockerd {
  // Outside TEST_TMP: what a dockerd leaves mounted must not fail the suite's clean-up.
  readonly dir = join(tmpdir(), `greenroom-own-dockerd-${process.pid}`);
  readonly socket = join(this.dir, 'docker.sock');
  private process: ChildProcess | undefined;

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    this.process = spawn(
      'dockerd',
      ['-H', `unix://${this.socket}`, '--data-root', join(this.dir, 'root'), '--exec-root', join(this.dir, 'exec'), '--pidfile', join(this.dir, 'dockerd.pid'), '--bridge', BRIDGE, '--iptables=false', '--ip-masq=false'],
      { stdio: ['ignore', log, log] },
    );
    await waitFor('the test dockerd to answer', () => this.answers(), 60_000);
  }

  answers(): boolean {
    try {
      execFileSync('docker', ['-H', `unix://${this.socket}`, 'version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  docker(args: string[]): string {
    return docker(['-H', `unix://${this.socket}`, ...args]);
  }

  /** Stops exactly this dockerd and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Its folder, after unmounting what the dockerd left mounted there (its data root is a mount of its own). */
  removeFiles(): void {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1]);
    for (const mount of mounts.filter((m) => m?.startsWith(this.dir)).sort().reverse()) spawnIgnore('umount', [mount]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The engine dies at once, with the containerd it started (the containers' shims live on, as in a crash). */
  async crash(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const containerd = Number(readFileSync(join(this.dir, 'exec', 'containerd', 'containerd.pid'), 'utf8'));
    process.kill(containerd, 'SIGKILL');
    child.kill('SIGKILL');
    await exited;
    await waitFor('its containerd to be gone', () => !isAlive(containerd));
  }
}

describe('engine: the Docker engine restarted mid-run', function () {
  const own = new OwnDockerd();
  let root: string;
  let engine: ActorEngine;

  before(async function () {
    this.timeout(300_000);
    try {
      execFileSync('ip', ['link', 'show', BRIDGE], { stdio: 'ignore' });
    } catch {
      execFileSync('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
      execFileSync('ip', ['addr', 'add', BRIDGE_CIDR, 'dev', BRIDGE]);
      execFileSync('ip', ['link', 'set', BRIDGE, 'up']);
    }
    await own.start();
    execFileSync('sh', ['-c', `docker save ${NODE_BASE_IMAGE} | docker -H unix://${own.socket} load -q`], { stdio: 'ignore' });
    root = copyFixture('shell-actor');
    engine = makeEngine(root, { docker: { socketPath: own.socket } });
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
  });

  after(async function () {
    this.timeout(120_000);
    engine?.dispose();
    await own.stop();
    own.removeFiles();
    spawnIgnore('ip', ['link', 'del', BRIDGE]);
  });

  it('ends the run FAILED saying the engine stopped, keeps every line, and abort says what is true', async function () {
    this.timeout(300_000);
    const handle = await engine.run({ env: { MODE: 'ticks' } });
    await waitFor('some ticks', () => /tick 50\n/.test(engine.readRunLog(handle.id)), 60_000);
    await own.crash();

    // Nothing answers: the abort fails saying so, and the run is still what it was.
    await assert.rejects(engine.abort(handle.id), DockerUnavailableError);
    assert.equal(engine.getRun(handle.id)!.status, 'RUNNING');

    await own.start();
    const run = await handle.finished;
    assert.equal(run.status, 'FAILED');
    assert.match(run.statusMessage!, /Docker engine stopped/);
    const ticks = engine.readRunLog(handle.id).split('\n').filter((line) => line.startsWith('tick '));
    assert.ok(ticks.length >= 50);
    assert.deepEqual(ticks, ticks.map((_, i) => `tick ${i + 1}`), 'every line once, in order');
    // The daemon that answers now is asked: the run is over, and the abort says so.
    await assert.rejects(engine.abort(handle.id), RunOptionsError);
    assert.equal(own.docker(['ps', '-aq', '--filter', `label=dev.greenroom.run-id=${run.id}`]).trim(), '', 'the container was removed');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function spawnIgnore(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
