/** The workspace model: which folders are Actors (both layouts), their names, lookups by name, engines, the CLI's root. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliWorkspace } from '../../../src/cli/engineCli';
import { UsageError } from '../../../src/cli/command';
import {
  ActorNameError,
  ActorWorkspace,
  defaultWorkspaceRoot,
  describeActor,
  findActorRoot,
  findActorRoots,
  parseActorName,
} from '../../../src/workspace';
import { memorySource } from '../validator/helpers';

/** Writes `files` (relative path → JSON value or text) under a new temporary folder and returns the folder. */
function folderWith(files: Record<string, unknown>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-workspace-')));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const actorJson = (name?: string) => ({ actorSpecification: 1, ...(name ? { name } : {}), version: '0.1' });

describe('workspace: the Actors of a workspace', () => {
  const made: string[] = [];
  const make = (files: Record<string, unknown>) => {
    const root = folderWith(files);
    made.push(root);
    return root;
  };
  after(() => made.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('finds Actors of both layouts (.actor/actor.json and legacy apify.json), sorted, without duplicates', () => {
    const root = make({ 'modern/.actor/actor.json': actorJson('modern'), 'old/apify.json': { name: 'old', version: '0.1' }, 'not-an-actor/package.json': {} });
    const found = findActorRoots([root, path.join(root, 'modern')]);
    assert.deepEqual(found, [path.join(root, 'modern'), path.join(root, 'old')]);
    assert.deepEqual(
      found.map((actor) => describeActor(actor)),
      [
        { root: path.join(root, 'modern'), name: 'modern', definitionFile: path.join(root, 'modern', '.actor', 'actor.json'), legacy: false },
        { root: path.join(root, 'old'), name: 'old', definitionFile: path.join(root, 'old', 'apify.json'), legacy: true },
      ],
    );
  });

  it('finds nested Actors of a monorepo (an Actor inside another), and a file belongs to the innermost', () => {
    const root = make({ '.actor/actor.json': actorJson('outer'), 'actors/inner/.actor/actor.json': actorJson('inner'), 'actors/inner/src/main.js': '' });
    assert.deepEqual(findActorRoots([root]), [root, path.join(root, 'actors', 'inner')]);
    assert.equal(findActorRoot(path.join(root, 'actors', 'inner', 'src', 'main.js')), path.join(root, 'actors', 'inner'));
    assert.equal(findActorRoot(path.join(root, 'actors')), root);
    assert.equal(findActorRoot(path.join(root, 'actors', 'inner')), path.join(root, 'actors', 'inner'));
  });

  it('findActorRoot reads through a FileSource (the language server passes unsaved documents) and stops at the top', () => {
    const root = path.resolve('/work/actor');
    const source = memorySource({ [path.join(root, '.actor', 'actor.json')]: '{}', [path.join(root, 'src', 'main.js')]: '' });
    assert.equal(findActorRoot(path.join(root, 'src', 'main.js'), source), root);
    assert.equal(findActorRoot('/elsewhere/file.js', source), undefined);
  });

  it('searches four levels below a root, skipping hidden folders, node_modules, storage and virtualenvs', () => {
    const root = make({
      'a/b/c/d/.actor/actor.json': actorJson('deep-enough'),
      'a/b/c/d/e/.actor/actor.json': actorJson('too-deep'),
      'node_modules/dep/.actor/actor.json': actorJson('dependency'),
      '.git/x/apify.json': {},
      '.greenroom/storage/x/apify.json': {},
      'storage/key_value_stores/x/.actor/actor.json': actorJson('stored'),
      'venv/lib/apify.json': {},
    });
    assert.deepEqual(findActorRoots([root]), [path.join(root, 'a', 'b', 'c', 'd')]);
    assert.deepEqual(findActorRoots([root], 5), [path.join(root, 'a', 'b', 'c', 'd'), path.join(root, 'a', 'b', 'c', 'd', 'e')]);
    assert.deepEqual(findActorRoots([path.join(root, 'does-not-exist')]), []);
  });

  it("names an Actor by its definition's name, else by its folder (no name, a broken file)", () => {
    const root = make({ 'unnamed/.actor/actor.json': actorJson(), 'broken/.actor/actor.json': '{ "name": ', 'blank/apify.json': { name: ' ' } });
    assert.equal(describeActor(path.join(root, 'unnamed')).name, 'unnamed');
    assert.equal(describeActor(path.join(root, 'broken')).name, 'broken');
    assert.equal(describeActor(path.join(root, 'blank')).name, 'blank');
  });

  it('parses name, username/name and username~name, and says what is wrong with anything else', () => {
    assert.deepEqual(parseActorName('my-actor'), { name: 'my-actor' });
    assert.deepEqual(parseActorName('someone/my-actor'), { username: 'someone', name: 'my-actor' });
    assert.deepEqual(parseActorName('someone~my-actor'), { username: 'someone', name: 'my-actor' });
    assert.throws(() => parseActorName('a/b/c'), { name: 'ActorNameError', message: /expected name, username\/name or username~name/ });
    assert.throws(() => parseActorName(''), { name: 'ActorNameError', message: /has no Actor name/ });
    assert.throws(() => parseActorName('someone/'), { name: 'ActorNameError', message: /no Actor name after "someone"/ });
    assert.throws(() => parseActorName('~my-actor'), { name: 'ActorNameError', message: /no username/ });
  });

  it('finds an Actor by name in all three forms, sees Actors created since, and refuses an ambiguous name', () => {
    const root = make({ 'one/.actor/actor.json': actorJson('first'), 'two/apify.json': { name: 'second', version: '0.1' } });
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    for (const reference of ['first', 'me/first', 'me~first']) assert.equal(workspace.findByName(reference)?.root, path.join(root, 'one'));
    assert.equal(workspace.findByName('second')?.root, path.join(root, 'two'));
    assert.equal(workspace.findByName('third'), undefined);

    fs.mkdirSync(path.join(root, 'three', '.actor'), { recursive: true });
    fs.writeFileSync(path.join(root, 'three', '.actor', 'actor.json'), JSON.stringify(actorJson('third')));
    assert.equal(workspace.findByName('third')?.root, path.join(root, 'three'));

    fs.mkdirSync(path.join(root, 'copy', '.actor'), { recursive: true });
    fs.writeFileSync(path.join(root, 'copy', '.actor', 'actor.json'), JSON.stringify(actorJson('first')));
    workspace.refresh();
    assert.throws(() => workspace.findByName('first'), (error: unknown) => error instanceof ActorNameError && /Several Actors .* "first"/.test(error.message));
  });

  it('hands out one engine per Actor, made with the adapter settings, and new ones after the settings change', () => {
    const root = make({ 'one/.actor/actor.json': actorJson('first'), 'two/.actor/actor.json': actorJson('second') });
    const asked: string[] = [];
    const workspace = new ActorWorkspace({
      roots: () => [root],
      engineSettings: (actorRoot) => {
        asked.push(actorRoot);
        return { origin: 'DEVELOPMENT', keepRuns: 3, docker: { socketPath: '/nonexistent/docker.sock' } };
      },
    });
    try {
      const one = workspace.engineFor(path.join(root, 'one'));
      assert.equal(workspace.engineFor(path.join(root, 'one')), one);
      assert.equal(one.layout.actorRoot, path.join(root, 'one'));
      assert.notEqual(workspace.engineFor(path.join(root, 'two')), one);
      assert.deepEqual(asked, [path.join(root, 'one'), path.join(root, 'two')]);

      workspace.settingsChanged();
      assert.notEqual(workspace.engineFor(path.join(root, 'one')), one);
      assert.equal(asked.length, 3, 'the settings are asked again');
      assert.throws(() => workspace.engineFor(root), /is not an Actor folder/);
    } finally {
      workspace.dispose();
    }
  });

  it("the CLI's workspace root: --workspace DIR (holding the Actor), else the git top level, else the Actor's parent", () => {
    const repo = make({ 'actors/one/.actor/actor.json': actorJson('one'), 'actors/two/.actor/actor.json': actorJson('two') });
    const loose = make({ 'solo/.actor/actor.json': actorJson('solo'), 'sibling/.actor/actor.json': actorJson('sibling') });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const one = path.join(repo, 'actors', 'one');
    assert.equal(defaultWorkspaceRoot(one), repo);
    assert.equal(defaultWorkspaceRoot(path.join(loose, 'solo')), loose);

    const io = { stdout: process.stdout, stderr: process.stderr, cwd: repo };
    assert.deepEqual(cliWorkspace(io, one, undefined).actors.map((actor) => actor.name), ['one', 'two']);
    assert.deepEqual(cliWorkspace(io, one, 'actors/one').actors.map((actor) => actor.name), ['one']);
    assert.deepEqual(cliWorkspace(io, path.join(loose, 'solo'), undefined).actors.map((actor) => actor.name), ['sibling', 'solo']);
    assert.throws(() => cliWorkspace(io, one, loose), (error: unknown) => error instanceof UsageError && /is not inside --workspace/.test(error.message));
    assert.throws(() => cliWorkspace(io, one, 'missing'), (error: unknown) => error instanceof UsageError && /is not a folder/.test(error.message));
  });
});
