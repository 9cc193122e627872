// `npm run demo`: builds Greenroom and serves it in a real VS Code (the code-server that scripts/setup.sh
// installs) on http://127.0.0.1:8080 (or $PORT), opened on examples/hello-actor. Runs until Ctrl+C.
// The extension is this checkout itself, linked into a throw-away extensions folder: rebuild (`npm run build`)
// and reload the browser window to see a change.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import codeServer from './lib/code-server.cjs';

const { REPO_ROOT, startCodeServer } = codeServer;
const port = Number(process.env.PORT) || 8080;

const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[demo] the build failed');
  process.exit(1);
}

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'greenroom-demo-'));
// code-server lists every <publisher>.<name>-<version> folder of its extensions dir as an installed extension.
const { publisher, name, version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const extensionsDir = path.join(stateDir, 'extensions');
mkdirSync(extensionsDir);
symlinkSync(REPO_ROOT, path.join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');

let server;
try {
  server = await startCodeServer({ stateDir, port, extensionsDir });
} catch (err) {
  rmSync(stateDir, { recursive: true, force: true });
  console.error(`[demo] ${err.message}`);
  process.exit(1);
}

console.log(`\nGreenroom is running in VS Code (code-server) on the example Actor. Open:\n\n  ${server.workbenchUrl(path.join(REPO_ROOT, 'examples', 'hello-actor'))}\n`);
console.log(`code-server's log: ${path.join(stateDir, 'code-server.log')}. Press Ctrl+C to stop.`);

let stopping = false;
const shutDown = async () => {
  stopping = true;
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);
server.process.once('exit', (code) => {
  if (stopping) return;
  console.error(`[demo] code-server exited (code ${code}); its log: ${path.join(stateDir, 'code-server.log')}`);
  process.exit(1);
});
