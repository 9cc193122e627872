import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { bindSources, handOver, newWarmFolder, removeWarmFolder, Spare, spareFits, warmLaunch } from '../../../src/engine/warmStart';

describe('engine: warm starts of dev-mode runs (warmStart)', () => {
  it('puts the preload in front of a Node program, and leaves anything else cold', () => {
    assert.deepEqual(warmLaunch({ runtime: 'node', argv: ['node', '--enable-source-maps', 'dist/main.js'], env: { NODE_ENV: 'production' } }), {
      entrypoint: ['node'],
      cmd: ['-r', '/greenroom/warm/preload.cjs', '--enable-source-maps', 'dist/main.js'],
      env: { NODE_ENV: 'production' },
    });
    assert.equal(warmLaunch({ runtime: 'python', argv: ['python3', '-m', 'src'], env: {} }), undefined);
  });

  it('hands over the whole environment, removing what only the template run had', () => {
    const { dir, bind } = newWarmFolder();
    try {
      assert.equal(bind, `${dir}:/greenroom/warm:ro`);
      assert.match(readFileSync(join(dir, 'preload.cjs'), 'utf8'), /handover\.json/);
      handOver(dir, { env: ['ACTOR_RUN_ID=new', 'A=x=y'], templateEnv: ['ACTOR_RUN_ID=old', 'ACTOR_TIMEOUT_AT=2026-01-01T00:00:00.000Z'], inspect: { host: '0.0.0.0', port: 9229 } });
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'handover.json'), 'utf8')), { env: { ACTOR_RUN_ID: 'new', A: 'x=y' }, unset: ['ACTOR_TIMEOUT_AT'], inspect: { host: '0.0.0.0', port: 9229 } });
    } finally {
      removeWarmFolder(dir);
    }
  });

  it('fits a run whose container differs only in environment and labels, and whose bound files are the same files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'greenroom-warm-test-'));
    const main = join(folder, 'main.js');
    writeFileSync(main, '1');
    const options = (memory: number, env: string): Docker.ContainerCreateOptions => ({
      Image: 'img',
      Env: [env],
      Labels: { run: env },
      HostConfig: { Memory: memory, Binds: [`${main}:/usr/src/app/main.js:ro`] },
    });
    const spare = { options: options(1024, 'old'), sources: bindSources(options(1024, 'old')) } as Spare;
    assert.ok(spareFits(spare, options(1024, 'new')));
    assert.ok(!spareFits(spare, options(512, 'new')), 'another memory limit');
    writeFileSync(main, '2');
    assert.ok(spareFits(spare, options(1024, 'new')), 'a file written in place is the same file');
    writeFileSync(`${main}.tmp`, '3');
    renameSync(`${main}.tmp`, main);
    assert.ok(!spareFits(spare, options(1024, 'new')), 'a file renamed over it is another file, which the bind does not show');
    removeWarmFolder(folder);
  });
});
