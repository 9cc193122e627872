/** actor.json, file lookup, cross-file checks, INPUT.json files, caching and the public helpers. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ActorValidator, applyInputDefaults, Diagnostic, FileSource, resolveActorFiles, validateInput } from '../../../src/validator';
import { errorsOf, find, memorySource } from './helpers';

const ROOT = path.resolve('/work/actor');
const ACTOR_JSON = path.join(ROOT, '.actor', 'actor.json');
const INPUT_SCHEMA = { title: 'T', type: 'object', schemaVersion: 1, properties: { name: { title: 'Name', type: 'string', description: 'd', editor: 'textfield', default: 'World' }, count: { title: 'Count', type: 'integer', description: 'd', minimum: 1 } }, required: ['count'] };

function actor(definition: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [ACTOR_JSON]: JSON.stringify({ actorSpecification: 1, name: 'my-actor', version: '0.1', ...definition }, null, 2),
    [path.join(ROOT, '.actor', 'Dockerfile')]: 'FROM node:20',
    ...extra,
  };
}

function validate(files: Record<string, string>, source: FileSource = memorySource(files)): Diagnostic[] {
  return new ActorValidator(source).validateActor(ROOT).diagnostics;
}

describe('validator: actor.json and the Actor as a whole', () => {
  it('accepts a minimal Actor', () => assert.deepEqual(errorsOf(validate(actor({}))), []));

  it('missing name and bad version', () => {
    const diagnostics = validate({ ...actor({}), [ACTOR_JSON]: JSON.stringify({ actorSpecification: 1, version: 'v1' }, null, 2) });
    assert.equal(find(diagnostics, 'actor/missing-name').range.start.line, 0);
    assert.equal(find(diagnostics, 'actor/invalid-version').range.start.line, 2);
  });

  it('misspelled key is an unknown-key warning with a rename fix, hidden by likelyMistakes', () => {
    const files = actor({ dockerFile: './Dockerfile' });
    const diagnostic = find(validate(files), 'actor/unknown-key');
    assert.equal(diagnostic.severity, 'warning');
    assert.equal(diagnostic.fixes?.[0].title, 'Rename to "dockerfile"');
    const quieter = new ActorValidator(memorySource(files)).validateActor(ROOT, { warnings: 'likelyMistakes' }).diagnostics;
    assert.equal(quieter.some((d) => d.code === 'actor/unknown-key'), false);
  });

  it('an unknown key the platform ignores says so, without "not allowed", and names the closest keys', () => {
    const diagnostic = find(validate(actor({ somethingUnrelated: true })), 'actor/unknown-key');
    assert.match(diagnostic.message, /^The platform does not know the key "somethingUnrelated" at the top level and ignores it\. The closest known keys are "[^"]+", "[^"]+" and "[^"]+"\.$/);
    assert.equal(find(validate(actor({ dockerFile: './Dockerfile' })), 'actor/unknown-key').message, 'The platform does not know the key "dockerFile" at the top level and ignores it. Did you mean "dockerfile"?');
  });

  it("Greenroom's standby settings (actorStandby) are no unknown key", () => {
    assert.deepEqual(validate(actor({ usesStandbyMode: true, actorStandby: { idleTimeoutSecs: 60 } })).filter((d) => d.code === 'actor/unknown-key'), []);
  });

  it('memory: not a power of two, min > max (warnings)', () => {
    const diagnostics = validate(actor({ minMemoryMbytes: 3000, maxMemoryMbytes: 1024 }));
    assert.equal(find(diagnostics, 'actor/memory-not-power-of-two').severity, 'warning');
    assert.equal(find(diagnostics, 'actor/memory-min-greater-than-max').severity, 'warning');
  });

  it('secret environment variables are flagged as info', () => {
    const diagnostic = find(validate(actor({ environmentVariables: { TOKEN: '@myToken' } })), 'actor/secret-environment-variable');
    assert.equal(diagnostic.severity, 'info');
  });

  it('missing referenced schema file is an error at the path', () => {
    const files = actor({ input: './missing.json' });
    const diagnostic = find(validate(files), 'actor/missing-schema-file');
    assert.equal(diagnostic.file, ACTOR_JSON);
    assert.equal(diagnostic.range.start.line, 4);
  });

  it('Dockerfile named but elsewhere: warning; none at all: error', () => {
    const elsewhere = { [ACTOR_JSON]: JSON.stringify({ actorSpecification: 1, name: 'my-actor', version: '0.1', dockerfile: './Dockerfile' }), [path.join(ROOT, 'Dockerfile')]: 'FROM x' };
    const fallback = find(validate(elsewhere), 'actor/dockerfile-fallback');
    assert.equal(fallback.severity, 'warning');
    assert.equal(fallback.message, '"dockerfile" names .actor/Dockerfile, which does not exist (paths in actor.json are relative to .actor/); the build uses Dockerfile instead. Fix the path.');
    const none = { [ACTOR_JSON]: JSON.stringify({ actorSpecification: 1, name: 'my-actor', version: '0.1' }) };
    assert.equal(find(validate(none), 'actor/missing-dockerfile').severity, 'error');
  });

  it('storages: dataset and datasets together, requestQueue', () => {
    const diagnostics = validate(actor({ storages: { dataset: './d.json', datasets: { default: './d.json' }, requestQueue: {} } }, { [path.join(ROOT, '.actor', 'd.json')]: JSON.stringify({ actorSpecification: 1, fields: {} }) }));
    find(diagnostics, 'actor/dataset-and-datasets');
    assert.match(find(diagnostics, 'actor/unknown-key').message, /requestQueue/);
  });

  it('inline schemas are checked with ranges inside actor.json', () => {
    const diagnostics = validate(actor({ input: { ...INPUT_SCHEMA, properties: { flag: { title: 'F', description: 'd', type: 'boolean', editor: 'textarea' } } }, output: { actorOutputSchemaVersion: 1, properties: { a: { type: 'string' } } } }));
    const editor = find(diagnostics, 'input-schema/editor-type-mismatch');
    assert.equal(editor.file, ACTOR_JSON);
    assert.equal(find(diagnostics, 'output-schema/missing-property').file, ACTOR_JSON);
  });

  it('schemas by path, relative to .actor/, with dataset aliases', () => {
    const files = actor({ input: '../shared/input.json', storages: { datasets: { default: './ds.json', extra: './ds.json' } } }, {
      [path.join(ROOT, 'shared', 'input.json')]: JSON.stringify({ title: 'T', type: 'object', schemaVersion: 1, properties: { a: { type: 'string' } } }),
      [path.join(ROOT, '.actor', 'ds.json')]: JSON.stringify({ actorSpecification: 1, fields: {} }),
    });
    const { diagnostics, files: actorFiles } = new ActorValidator(memorySource(files)).validateActor(ROOT);
    assert.equal(find(diagnostics, 'input-schema/missing-title').file, path.join(ROOT, 'shared', 'input.json'));
    assert.deepEqual(actorFiles.filter((file) => file.role === 'dataset').map((file) => file.alias), ['default', 'extra']);
  });

  it('input schema found by the lookup order', () => {
    const files = { ...actor({}), [path.join(ROOT, 'INPUT_SCHEMA.json')]: JSON.stringify(INPUT_SCHEMA) };
    assert.ok(resolveActorFiles(ROOT, memorySource(files)).some((file) => file.role === 'input' && file.path === path.join(ROOT, 'INPUT_SCHEMA.json')));
  });

  it('INPUT.json is checked against the input schema, defaults applied', () => {
    const inputFile = path.join(ROOT, 'storage', 'key_value_stores', 'default', 'INPUT.json');
    const files = actor({ input: './input.json' }, { [path.join(ROOT, '.actor', 'input.json')]: JSON.stringify(INPUT_SCHEMA), [inputFile]: '{\n  "count": 0\n}' });
    const diagnostic = find(validate(files), 'input/invalid-value');
    assert.equal(diagnostic.file, inputFile);
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 11 });
  });

  it('legacy apify.json offers migration to .actor/actor.json', () => {
    const legacy = path.join(ROOT, 'apify.json');
    const diagnostic = find(validate({ [legacy]: JSON.stringify({ name: 'old', version: '0.2', env: { A: 'b' } }), [path.join(ROOT, 'Dockerfile')]: 'FROM x' }), 'legacy/apify-json');
    const [create, remove] = diagnostic.fixes![0].changes;
    assert.equal(create.kind === 'create' && create.file, ACTOR_JSON);
    assert.deepEqual(create.kind === 'create' && JSON.parse(create.content), { actorSpecification: 1, name: 'old', version: '0.2', buildTag: 'latest', environmentVariables: { A: 'b' } });
    assert.deepEqual(remove, { kind: 'delete', file: legacy });
  });

  it('legacy apify.json without a Dockerfile: the same error as for .actor', () => {
    const legacy = path.join(ROOT, 'apify.json');
    const diagnostic = find(validate({ [legacy]: JSON.stringify({ name: 'old', version: '0.2' }) }), 'actor/missing-dockerfile');
    assert.equal(diagnostic.file, legacy);
    assert.equal(diagnostic.message, 'No Dockerfile found: add .actor/Dockerfile (or ./Dockerfile).');
  });

  it('an apify.json that does not parse: its syntax errors and no migration fix', () => {
    const legacy = path.join(ROOT, 'apify.json');
    const diagnostics = validate({ [legacy]: '{ "name": "old", "version": 0.2, }', [path.join(ROOT, 'Dockerfile')]: 'FROM x' });
    find(diagnostics, 'json/trailing-comma');
    const warning = find(diagnostics, 'legacy/apify-json');
    assert.equal(warning.fixes, undefined);
    assert.match(warning.message, /Fix its JSON first/);
  });

  it('only a Dockerfile and a root INPUT_SCHEMA.json: the input schema is validated, with an info about the layout', () => {
    const schema = path.join(ROOT, 'INPUT_SCHEMA.json');
    const dockerfile = path.join(ROOT, 'Dockerfile');
    const files = { [dockerfile]: 'FROM x', [schema]: JSON.stringify({ ...INPUT_SCHEMA, properties: { flag: { title: 'F', description: 'd', type: 'boolean', editor: 'textarea' } } }) };
    const { diagnostics, files: actorFiles } = new ActorValidator(memorySource(files)).validateActor(ROOT);
    assert.equal(find(diagnostics, 'legacy/no-definition').file, dockerfile);
    assert.equal(find(diagnostics, 'legacy/no-definition').severity, 'info');
    assert.equal(find(diagnostics, 'input-schema/editor-type-mismatch').file, schema);
    assert.deepEqual(actorFiles.map((file) => file.role).sort(), ['dockerfile', 'input']);
    assert.deepEqual(resolveActorFiles(ROOT, memorySource(files)).map((file) => file.path).sort(), [dockerfile, schema]);
  });

  it('re-validating only re-parses the changed file', () => {
    const files = actor({ input: './input.json' }, { [path.join(ROOT, '.actor', 'input.json')]: JSON.stringify(INPUT_SCHEMA) });
    const reads: string[] = [];
    const base = memorySource(files);
    const validator = new ActorValidator({ ...base, readFile: (file) => (reads.push(file), base.readFile(file)) });
    const first = validator.validateActor(ROOT).diagnostics;
    files[ACTOR_JSON] = files[ACTOR_JSON].replace('"0.1"', '"0.2"');
    const second = validator.validateActor(ROOT).diagnostics;
    assert.deepEqual(second, first);
    assert.ok(reads.length > 0);
  });

  it('a file source that throws becomes an internal-error diagnostic, not an exception', () => {
    const source = { ...memorySource(actor({})), readFile: () => { throw new Error('disk on fire'); } };
    const diagnostics = validate({}, source);
    assert.equal(find(diagnostics, 'internal-error').severity, 'error');
  });
});

describe('validator: input objects', () => {
  it('validateInput reports the platform problems', () => {
    assert.deepEqual(validateInput(INPUT_SCHEMA, { count: 5 }), []);
    const problems = validateInput(INPUT_SCHEMA, { name: 5 });
    assert.deepEqual(problems.map((problem) => problem.field).sort(), ['count', 'name']);
  });
  it('applyInputDefaults fills omitted fields only', () => {
    assert.deepEqual(applyInputDefaults(INPUT_SCHEMA, { count: 2 }), { count: 2, name: 'World' });
    assert.deepEqual(applyInputDefaults(INPUT_SCHEMA, { name: 'Ann' }), { name: 'Ann' });
  });
  it('never throws on nonsense', () => {
    assert.equal(validateInput(5, {}).length, 1);
    assert.equal(validateInput(INPUT_SCHEMA, 'x').length, 1);
  });
});
