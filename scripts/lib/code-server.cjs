// Starts and stops the code-server that scripts/setup.sh installs into .vscode-test/code-server.
// Shared by the VS Code test launcher (test/vscode/launcher/code-server.ts) and `npm run demo`.
// CommonJS so that both the compiled TypeScript launcher (require) and the ESM demo (import) can load it.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER_BIN = path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
const READY_LINE = /HTTP server listening on/;
const STARTUP_TIMEOUT_MS = 60_000;

// Quiet, offline-friendly user settings: nothing may try to reach a gallery, an update server or telemetry.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
};

/** A free TCP port on 127.0.0.1, chosen by the OS. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server with every piece of state (user data, extensions, TMPDIR, XDG dirs) under `stateDir`.
 * Resolves once it listens; rejects with the tail of its log when it exits or hangs first.
 */
async function startCodeServer({ stateDir, port = 0, host = '127.0.0.1', extensionsDir, logFile, env = {}, echo = false }) {
  if (!fs.existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server is not installed (${CODE_SERVER_BIN} missing): run \`bash scripts/setup.sh\` first`);
  }
  const dirs = {
    userData: path.join(stateDir, 'user-data'),
    extensions: extensionsDir ?? path.join(stateDir, 'extensions'),
    tmp: path.join(stateDir, 'tmp'),
    xdgData: path.join(stateDir, 'xdg-data'),
    xdgConfig: path.join(stateDir, 'xdg-config'),
    xdgCache: path.join(stateDir, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));

  const actualPort = port || (await freePort());
  const authority = `${host}:${actualPort}`;
  const log = fs.createWriteStream(logFile ?? path.join(stateDir, 'code-server.log'));
  const child = spawn(
    CODE_SERVER_BIN,
    [
      '--bind-addr', authority,
      '--auth', 'none',
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
    ],
    {
      // Own process group, so stop() also ends the extension hosts and language servers it spawned.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        EXTENSIONS_GALLERY: '{}',
        TMPDIR: dirs.tmp,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_CACHE_HOME: dirs.xdgCache,
        ...env,
      },
    },
  );
  let output = '';
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  const onOutput = (chunk) => {
    output = (output + chunk).slice(-8000);
    log.write(chunk);
    if (echo) process.stdout.write(chunk);
    if (READY_LINE.test(output)) markReady();
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  // Last resort when our process ends without stop() (an uncaught error, process.exit): never leave a server behind.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    killGroup(child.pid, 'SIGKILL'); // stragglers of the group (extension hosts ignore SIGTERM while busy)
    process.off('exit', killOnExit);
    await new Promise((resolve) => log.end(resolve));
  };

  try {
    let timer;
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`code-server did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
      }),
      new Promise((_, reject) => {
        child.once('exit', (code, signal) => reject(new Error(`code-server exited during start-up (${signal ?? `code ${code}`})`)));
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (err) {
    await stop();
    err.message += `\n--- code-server output ---\n${output}`;
    throw err;
  }

  return {
    process: child,
    authority,
    url: `http://${authority}/`,
    stop,
    /** The workbench URL that opens `folder`, with optional extension-development `payload` entries. */
    workbenchUrl(folder, payload = []) {
      const query = `folder=${encodeURIComponent(folder)}`;
      return payload.length ? `${this.url}?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${this.url}?${query}`;
    },
    /** A path on the code-server machine as the workbench must name it (the host:port must equal the page's). */
    remoteUri(absPath) {
      return `vscode-remote://${authority}${absPath}`;
    },
  };
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

module.exports = { REPO_ROOT, CODE_SERVER_BIN, freePort, startCodeServer };
