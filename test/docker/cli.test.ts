import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyFixture } from './fixtures';
import { runCli } from './helpers';

describe('CLI: greenroom build/run/runs/builds/abort/resurrect/log/items', function () {
  let root: string;

  before(async function () {
    root = copyFixture('sdk-actor');
    const build = await runCli(['build', root, '--tag', 'latest']);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /Successfully tagged/);
    assert.match(build.stderr, /Build 0\.1\.1 \(\w{17}\) SUCCEEDED/);
  });

  it('run --json: log on stderr, only the final record on stdout, exit code of the Actor', async function () {
    const result = await runCli(['run', root, '--input', '{"count": 2, "greeting": "cli"}', '--memory', '256', '--timeout', '60', '--restart-on-error', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout);
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.meta.origin, 'CLI');
    assert.deepEqual([run.options.memoryMbytes, run.options.timeoutSecs, run.options.restartOnError], [256, 60, true]);
    assert.match(result.stderr, /\[Status message\]: Pushed 2 items/);
    assert.ok(result.stderr.includes(`Container URL (the Actor's web server): ${run.containerUrl}\n`), 'the URL is printed once the run is RUNNING');
    assert.match(run.containerUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'the ended run keeps it in its record');

    const items = await runCli(['items', run.id], { cwd: root });
    assert.equal(items.code, 0, items.stderr);
    assert.deepEqual(items.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ i: 0, greeting: 'cli' }, { i: 1, greeting: 'cli' }]);
    const csvFile = join(root, 'items.csv');
    const csv = await runCli(['items', run.id, '--format', 'csv', '--output', csvFile], { cwd: root });
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stderr, /Wrote 2 items as csv/);
    assert.deepEqual(readFileSync(csvFile, 'utf8').trim().split(/\r?\n/), ['i,greeting', '0,cli', '1,cli']);
    const xml = await runCli(['items', run.id, '--format', 'xml'], { cwd: root });
    assert.match(xml.stdout, /<greeting>cli<\/greeting>/);
    const badFormat = await runCli(['items', run.id, '--format', 'pdf'], { cwd: root });
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of json, jsonl, csv, xml, html, rss, xlsx, not "pdf"/);
    const log = await runCli(['log', run.id, '--actor', root]);
    assert.match(log.stdout, /INPUT \{.*"greeting":"cli"/);
    // --timestamps: the same lines, each after its ISO time.
    const timed = await runCli(['log', run.id, '--actor', root, '--timestamps']);
    const timedLines = timed.stdout.trimEnd().split('\n');
    assert.deepEqual(timedLines.map((line) => line.slice(25)), log.stdout.trimEnd().split('\n'));
    assert.ok(timedLines.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(line)), timed.stdout);
    const runs = await runCli(['runs', root, '--json']);
    assert.equal(JSON.parse(runs.stdout)[0].id, run.id);
    const inWorkspace = await runCli(['runs', root, '--workspace', dirname(root), '--json']);
    assert.equal(JSON.parse(inWorkspace.stdout)[0].id, run.id, inWorkspace.stderr);
    const table = await runCli(['runs'], { cwd: root });
    assert.match(table.stdout, new RegExp(`${run.id}\\s+SUCCEEDED`));
    const builds = await runCli(['builds', root]);
    assert.match(builds.stdout, /0\.1\.1\s+SUCCEEDED\s+latest/);
  });

  it('exits with the Actor\'s failure code, refuses invalid input and bad options clearly', async function () {
    const failed = await runCli(['run', root, '--input', '{"count": 1, "fail": true}']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /FAILED \(exit code 1\): Failed on purpose/);
    const invalid = await runCli(['run', root, '--input', '{"count": "x"}']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /Input is not valid.*\n.*count/);
    const usage = await runCli(['run', root, '--input', '{', '--json']);
    assert.equal(usage.code, 2);
    const memory = await runCli(['run', root, '--memory', '300', '--input', '{"count":1}']);
    assert.equal(memory.code, 1);
    assert.match(memory.stderr, /power of two/);
    const missingInput = await runCli(['run', root, '--input-file', 'missing.json'], { cwd: root });
    assert.equal(missingInput.code, 1);
    assert.equal(missingInput.stderr, `greenroom run: Cannot read input file ${join(root, 'missing.json')}: no such file\n`);
    const outside = await runCli(['run', root, '--workspace', join(root, 'scratch'), '--input', '{"count":1}']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /the Actor .* is not inside --workspace .*scratch/);
    const unknownRun = await runCli(['log', 'nope'], { cwd: root });
    assert.equal(unknownRun.code, 1);
    const down = await runCli(['run', root, '--input', '{"count":1}'], { env: { GREENROOM_DOCKER_SOCKET: '/tmp/greenroom-nothing.sock' } });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Docker isn't running.*\/tmp\/greenroom-nothing\.sock/);
  });

  it('abort and resurrect from the command line', async function () {
    const running = runCli(['run', root, '--input', '{"count": 1000, "delayMs": 50}', '--json']);
    const runs = async () => JSON.parse((await runCli(['runs', root, '--json'])).stdout) as { id: string; status: string }[];
    let target: { id: string } | undefined;
    for (let i = 0; i < 200 && !target; i++) {
      target = (await runs()).find((r) => r.status === 'RUNNING');
      if (!target) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(target, 'the run started');
    const abort = await runCli(['abort', target.id, '--actor', root]);
    assert.equal(abort.code, 0, abort.stderr);
    assert.match(abort.stdout, /ABORTED/);
    const finished = await running;
    assert.notEqual(finished.code, 0);
    assert.equal(JSON.parse(finished.stdout).status, 'ABORTED');

    const resurrect = runCli(['resurrect', target.id, '--actor', root, '--timeout', '1', '--json']);
    const result = await resurrect;
    const record = JSON.parse(result.stdout);
    assert.equal(record.status, 'TIMED-OUT');
    assert.equal(record.stats.resurrectCount, 1);
  });
});

describe('CLI: greenroom run --max-total-charge-usd', function () {
  it('caps what a pay-per-event Actor charges in the run, as the run option does; refuses a negative amount', async function () {
    const root = copyFixture('ppe-webhooks-actor');
    const refused = await runCli(['run', root, '--max-total-charge-usd', '-1']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--max-total-charge-usd must be a number of USD ≥ 0, got -1/);

    const result = await runCli(['run', root, '--input', '{"pages": 3, "results": 100}', '--max-total-charge-usd', '1', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout);
    assert.equal(run.options.maxTotalChargeUsd, 1);
    assert.match(result.stderr, /^Charged \(pay-per-event\): \$1\.00.*: apify-actor-start ×1, page ×3, result ×2\d/m);
    const listed = await runCli(['runs', root]);
    assert.match(listed.stdout, /^ID +STATUS +BUILD +STARTED +DURATION +ITEMS +COST +STATUS MESSAGE$/m);
    assert.match(listed.stdout, new RegExp(`^${run.id} +SUCCEEDED .* \\$1\\.00 `, 'm'));
    // 1 USD: the start (0.5), 3 pages (0.3), then results at 0.01 while they fit: the SDK pushes 20.
    const items = await runCli(['items', run.id], { cwd: root });
    assert.equal(items.code, 0, items.stderr);
    assert.equal(items.stdout.trim().split('\n').length, 20);
  });
});
