/** An Actor folder the platform's unit tests serve: actor.json, a Dockerfile nobody builds, and an empty records folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function makeScratchActor(actorRoot: string, name: string): void {
  fs.mkdirSync(path.join(actorRoot, '.actor'), { recursive: true });
  fs.writeFileSync(path.join(actorRoot, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name, version: '0.1' }));
  fs.writeFileSync(path.join(actorRoot, 'Dockerfile'), 'FROM scratch\n');
  fs.mkdirSync(path.join(actorRoot, '.greenroom', 'runs'), { recursive: true });
}
