import * as assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture, docker, imageExists } from './fixtures';
import { makeEngine, recordEvents, waitFor } from './helpers';

describe('engine: builds', function () {
  it('numbers builds <version>.<n>, applies and moves tags, records size and duration, lists newest first', async function () {
    // shell-actor: version 1.2, buildTag beta, dockerContextDir ../src with the Dockerfile outside that context
    const root = copyFixture('shell-actor');
    const engine = makeEngine(root);
    const events = recordEvents(engine);

    const first = await engine.build().finished;
    assert.equal(first.status, 'SUCCEEDED', engine.readBuildLog(first.id));
    assert.equal(first.buildNumber, '1.2.1');
    assert.deepEqual(events.statuses(first.id), ['READY', 'RUNNING', 'SUCCEEDED']);
    assert.ok(first.stats.imageSizeBytes! > 1_000_000 && first.stats.durationMillis! > 0);
    assert.equal(first.meta.origin, 'DEVELOPMENT');
    assert.deepEqual(engine.tags(), { beta: first.id });
    assert.match(engine.readBuildLog(first.id), /Successfully tagged/);
    assert.ok(events.events.some((e) => e.type === 'build-log' && e.buildId === first.id));

    const second = await engine.build({ tag: 'latest' }).finished;
    assert.equal(second.buildNumber, '1.2.2');
    assert.deepEqual(engine.tags(), { beta: first.id, latest: second.id });
    const third = await engine.build().finished;
    assert.equal(third.buildNumber, '1.2.3');
    assert.deepEqual(engine.tags(), { beta: third.id, latest: second.id }, 'beta moved to the newest build');
    engine.setBuildTag('latest', first.id);
    assert.equal(engine.tags().latest, first.id);

    assert.deepEqual(engine.listBuilds().map((b) => b.buildNumber), ['1.2.3', '1.2.2', '1.2.1']);
    // dockerContextDir: the image holds main.sh from ../src
    assert.match(docker(['run', '--rm', third.imageName, 'cat', '/usr/src/app/main.sh']), /Plain shell Actor/);

    // A new version starts again at .1
    const actorJson = join(root, '.actor', 'actor.json');
    writeFileSync(actorJson, JSON.stringify({ actorSpecification: 1, name: 'shell-actor', version: '1.3', dockerContextDir: '../src' }));
    const nextVersion = await engine.build().finished;
    assert.equal(nextVersion.buildNumber, '1.3.1');
    assert.equal(engine.tags().latest, nextVersion.id, 'no buildTag in actor.json: latest');

    await engine.deleteBuild(third.id);
    assert.equal(engine.getBuild(third.id), undefined);
    assert.equal(imageExists(third.imageName), false, 'the image is deleted with the build');
    assert.deepEqual(engine.tags(), { latest: nextVersion.id }, 'tags of a deleted build go with it');
    engine.dispose();
  });

  it('sends the context without what .dockerignore excludes, and honours useCache', async function () {
    const root = copyFixture('sdk-actor');
    const engine = makeEngine(root);
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
    const files = docker(['run', '--rm', build.imageName, 'ls', '-a', '/usr/src/app']).split('\n');
    assert.ok(files.includes('main.js') && files.includes('.actor'));
    assert.ok(!files.includes('secret-notes.txt') && !files.includes('scratch'), `ignored files reached the image: ${files.join(' ')}`);

    const cached = await engine.build().finished;
    assert.match(engine.readBuildLog(cached.id), /Using cache/);
    const uncached = await engine.build({ useCache: false }).finished;
    assert.equal(uncached.options.useCache, false);
    assert.doesNotMatch(engine.readBuildLog(uncached.id), /Using cache/);
    engine.dispose();
  });

  it('ends FAILED on a Dockerfile error, ABORTED when aborted, TIMED-OUT at its timeout', async function () {
    const root = copyFixture('shell-actor');
    const dockerfile = join(root, '.actor', 'Dockerfile');
    const engine = makeEngine(root);
    const events = recordEvents(engine);

    appendFileSync(dockerfile, 'RUN exit 7\n');
    const failed = await engine.build().finished;
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.statusMessage!, /returned a non-zero code: 7/);
    assert.match(engine.readBuildLog(failed.id), /exit 7/);

    writeFileSync(dockerfile, 'FROM greenroom-test/node-base:20\nRUN sleep 30\n');
    const handle = engine.build();
    await waitFor('the build to run', () => engine.getBuild(handle.id)?.status === 'RUNNING' && engine.readBuildLog(handle.id).includes('sleep 30'));
    handle.abort();
    const aborted = await handle.finished;
    assert.equal(aborted.status, 'ABORTED');
    assert.deepEqual(events.statuses(aborted.id), ['READY', 'RUNNING', 'ABORTED']);
    assert.ok(aborted.stats.durationMillis! < 15_000);

    const timedOut = await engine.build({ timeoutSecs: 1, useCache: false }).finished;
    assert.equal(timedOut.status, 'TIMED-OUT');
    assert.ok(timedOut.stats.durationMillis! < 15_000);
    engine.dispose();
  });
});
