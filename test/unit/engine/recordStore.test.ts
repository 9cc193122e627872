import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActorLayout, RecordStore } from '../../../src/engine/recordStore';
import { writeActor } from './invalidActor';

describe('engine: the .greenroom folder', () => {
  it('writes its own .gitignore, so it never shows in git status', () => {
    const root = writeActor({ actorSpecification: 1, name: 'git-actor', version: '0.1' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const layout = new ActorLayout(root);
    new RecordStore(layout, () => undefined);
    assert.equal(fs.readFileSync(path.join(root, '.greenroom', '.gitignore'), 'utf8'), '*\n');
    fs.writeFileSync(layout.tagsFile, '{}');
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(status.trim().split('\n').sort(), ['?? .actor/actor.json', '?? Dockerfile']);
  });
});
