import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunOptionsError } from '../../src/engine';
import { breakActor } from '../unit/engine/invalidActor';
import { copyFixture, docker, imageExists, NODE_BASE_IMAGE, TEST_TMP } from './fixtures';
import { makeEngine, recordEvents, waitFor } from './helpers';

/** A Dockerfile shared by a monorepo's Actors: it finds the Actor's folder only through the build argument. */
const MONOREPO_DOCKERFILE = [
  `FROM ${NODE_BASE_IMAGE}`,
  'ARG ACTOR_PATH_IN_DOCKER_CONTEXT',
  'RUN test -n "$ACTOR_PATH_IN_DOCKER_CONTEXT" || (echo "ACTOR_PATH_IN_DOCKER_CONTEXT is not set" && exit 3)',
  'COPY "${ACTOR_PATH_IN_DOCKER_CONTEXT}" "./${ACTOR_PATH_IN_DOCKER_CONTEXT}"',
  'ENV ACTOR_PATH_IN_DOCKER_CONTEXT="${ACTOR_PATH_IN_DOCKER_CONTEXT}"',
  'CMD ["sh", "-c", "echo \\"Actor folder: $ACTOR_PATH_IN_DOCKER_CONTEXT\\" && ls \\"$ACTOR_PATH_IN_DOCKER_CONTEXT/.actor\\""]',
  '',
].join('\n');

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

  it("fails an Actor the platform's build refuses before Docker builds anything, listing every error; warnings don't block", async function () {
    const root = copyFixture('sdk-actor');
    breakActor(root);
    const engine = makeEngine(root);
    const events = recordEvents(engine);
    const failed = await engine.build().finished;
    assert.equal(failed.status, 'FAILED');
    assert.deepEqual(events.statuses(failed.id), ['READY', 'RUNNING', 'FAILED']);
    const errorLines = [
      /\.actor\/actor\.json:\d+:\d+: error "version" must be MAJOR\.MINOR.*\[actor\/invalid-version\]/,
      /\.actor\/actor\.json:\d+:\d+: error "minMemoryMbytes" must be >= 128\. \[actor\/invalid-value\]/,
      /\.actor\/input_schema\.json:\d+:\d+: error editor "chekbox" can't be used with type boolean.*\[input-schema\/editor-type-mismatch\]/,
    ];
    assert.match(failed.statusMessage!, /^The Actor definition has 3 errors, which the platform's build refuses:\n/);
    for (const line of errorLines) {
      assert.match(failed.statusMessage!, line);
      assert.match(engine.readBuildLog(failed.id), line);
    }
    assert.equal(imageExists(failed.imageName), false, 'nothing was built');
    assert.equal(engine.tags().latest, undefined, 'no tag moves to a failed build');

    // A run that needs a build fails with it, naming the errors.
    await assert.rejects(engine.run({ input: {} }), (error: unknown) => {
      assert.ok(error instanceof RunOptionsError);
      assert.match(error.message, /The build the run needs ended FAILED: The Actor definition has 3 errors/);
      errorLines.forEach((line) => assert.match(error.message, line));
      return true;
    });
    assert.equal(engine.listRuns().length, 0);

    // Fixed, with only a warning left (maxMemoryMbytes not a power of two): it builds.
    const actorJsonFile = join(root, '.actor', 'actor.json');
    writeFileSync(actorJsonFile, JSON.stringify({ ...JSON.parse(readFileSync(actorJsonFile, 'utf8')), version: '1.0', minMemoryMbytes: 128 }));
    writeFileSync(join(root, '.actor', 'input_schema.json'), readFileSync(join(root, '.actor', 'INPUT_SCHEMA.json')));
    const fixed = await engine.build().finished;
    assert.equal(fixed.status, 'SUCCEEDED', fixed.statusMessage ?? engine.readBuildLog(fixed.id));
    engine.dispose();
  });

  it('passes ACTOR_PATH_IN_DOCKER_CONTEXT as the platform does: a monorepo Actor built from the repository root', async function () {
    mkdirSync(TEST_TMP, { recursive: true });
    const repo = mkdtempSync(join(TEST_TMP, 'monorepo-'));
    const actorRoot = join(repo, 'actors', 'hello');
    mkdirSync(join(actorRoot, '.actor'), { recursive: true });
    mkdirSync(join(repo, 'shared'));
    writeFileSync(join(repo, 'shared', 'Dockerfile'), MONOREPO_DOCKERFILE);
    const actorJson = { actorSpecification: 1, name: 'hello', version: '0.1', dockerContextDir: '../../..', dockerfile: '../../../shared/Dockerfile' };
    writeFileSync(join(actorRoot, '.actor', 'actor.json'), JSON.stringify(actorJson));
    const engine = makeEngine(actorRoot);
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
    const run = await (await engine.run()).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.match(engine.readRunLog(run.id), /Actor folder: actors\/hello\n(.*\n)*actor\.json/);
    engine.dispose();
  });

  it("builds Apify's monorepo example (corpus) with the Actor's folder as the build argument", async function () {
    const corpus = process.env.GREENROOM_CORPUS;
    const example = corpus && join(corpus, 'apify__actor-monorepo-example');
    if (!example || !existsSync(example)) this.skip();
    mkdirSync(TEST_TMP, { recursive: true });
    const repo = mkdtempSync(join(TEST_TMP, 'actor-monorepo-example-'));
    cpSync(example, repo, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', repo]);
    // The corpus leaves Dockerfiles out: the shared one here does what the example's does with the argument.
    writeFileSync(join(repo, 'shared', 'JavaScript_Dockerfile'), MONOREPO_DOCKERFILE);
    const engine = makeEngine(join(repo, 'actors', 'javascript-actor'));
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', build.statusMessage ?? engine.readBuildLog(build.id));
    assert.match(docker(['run', '--rm', build.imageName, 'sh', '-c', 'echo $ACTOR_PATH_IN_DOCKER_CONTEXT']), /^actors\/javascript-actor$/m);
    engine.dispose();
  });
});
