import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { definitionErrors, readActorDefinition } from '../../../src/engine/actorDefinition';
import { buildArgs } from '../../../src/engine/builds';
import { breakActor, INVALID_ACTOR_JSON, writeActor } from './invalidActor';

describe('engine: what the platform would refuse in a definition', () => {
  it("lists the validator's errors as file:line:column lines, without warnings or local INPUT.json problems", () => {
    const root = writeActor({ actorSpecification: 1, name: 'invalid-actor', version: '0.1' });
    breakActor(root);
    // An INPUT.json that does not match the schema: the platform never sees it, so it does not block a build.
    fs.mkdirSync(path.join(root, 'storage', 'key_value_stores', 'default'), { recursive: true });
    fs.writeFileSync(path.join(root, 'storage', 'key_value_stores', 'default', 'INPUT.json'), '{"agree": "yes"}');
    const errors = definitionErrors(root);
    assert.equal(errors.length, 3, errors.join('\n'));
    assert.match(errors[0], /^\.actor\/actor\.json:\d+:\d+: error "version" must be MAJOR\.MINOR.* \[actor\/invalid-version\]$/);
    assert.match(errors[1], /^\.actor\/actor\.json:\d+:\d+: error "minMemoryMbytes" must be >= 128\. \[actor\/invalid-value\]$/);
    assert.match(errors[2], /^\.actor\/input_schema\.json:\d+:\d+: error editor "chekbox" can't be used with type boolean.* \[input-schema\/editor-type-mismatch\]$/);
    assert.ok(!errors.some((e) => e.includes('maxMemoryMbytes')), 'maxMemoryMbytes 3000 is only a warning');
  });

  it('finds nothing in a valid definition, warnings included', () => {
    assert.deepEqual(definitionErrors(writeActor({ actorSpecification: 1, name: 'valid', version: '0.1', maxMemoryMbytes: 3000 })), []);
  });

  it("reads actor.json's memory keys, a memory expression as text", () => {
    const root = writeActor({ ...INVALID_ACTOR_JSON, version: '0.1', defaultMemoryMbytes: "get(input, 'n', 1) * 128" });
    assert.deepEqual(readActorDefinition(root).memory, { minMbytes: 100, maxMbytes: 3000, defaultMbytes: "get(input, 'n', 1) * 128" });
  });

  it('passes ACTOR_PATH_IN_DOCKER_CONTEXT, the Actor folder inside the Docker context, to a Dockerfile that declares it', () => {
    const monorepo = writeActor({ actorSpecification: 1, name: 'root', version: '0.1' }, { 'shared/Dockerfile': 'FROM scratch\nARG ACTOR_PATH_IN_DOCKER_CONTEXT\n' });
    const actorRoot = path.join(monorepo, 'actors', 'my-actor');
    fs.mkdirSync(path.join(actorRoot, '.actor'), { recursive: true });
    const actorJson = { actorSpecification: 1, name: 'my-actor', version: '0.1', dockerContextDir: '../../..', dockerfile: '../../../shared/Dockerfile' };
    fs.writeFileSync(path.join(actorRoot, '.actor', 'actor.json'), JSON.stringify(actorJson));
    assert.deepEqual(buildArgs(readActorDefinition(actorRoot)), { ACTOR_PATH_IN_DOCKER_CONTEXT: 'actors/my-actor' });
    // A Dockerfile that does not name it has no ARG to take it (and Docker would warn about an unused build argument).
    assert.deepEqual(buildArgs(readActorDefinition(monorepo)), {});
  });
});
