/**
 * Debug runs (docs/debugging.md): the image's command rewritten so that a debugger listens inside the container
 * and the Actor waits for it before its first line. Node: the command resolved down to `node …` (an `npm start`
 * is read from package.json: npm itself must not be the debuggee) with `--inspect-brk`. Python: the host's debugpy
 * brought in read-only and started in front of the Actor's module or script. Anything else is refused before a
 * container exists, naming the fix.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RunOptionsError } from './runs';

export type DebugRuntime = 'node' | 'python';

/** Where the debugger listens inside the container (published on a loopback port of the host). */
export const DEBUG_CONTAINER_PORTS: Record<DebugRuntime, number> = { node: 9229, python: 5678 };
/** Where the brought debugpy package is mounted (its parent goes on sys.path). */
const DEBUGPY_CONTAINER_DIR = '/greenroom/debugpy';
/** The line a debug run's log shows once the debugger can attach (Node's own; the Python launcher prints the other). */
export const DEBUGGER_LISTENING = /(Debugger listening on ws:\/\/|Greenroom: debugpy is listening)/;

/** The image's command as `docker image inspect` gives it. */
export interface ImageConfig {
  Entrypoint?: string[] | string | null;
  Cmd?: string[] | string | null;
  WorkingDir?: string;
}

/** What the container runs: argv, with environment assignments a start script put in front. */
export interface ActorCommand {
  runtime: DebugRuntime;
  argv: string[];
  env: Record<string, string>;
}

export interface DebugLaunch {
  runtime: DebugRuntime;
  /** The container's new entrypoint and command. */
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  containerPort: number;
  /** Read-only binds the debugger needs (debugpy). */
  binds: string[];
  /** The image's working directory (the debugger's remote root). */
  workingDir: string;
}

/**
 * The Actor's real program behind the image's command: `npm start` (with `--silent`/`-s`) is read from the start
 * script; `node …` and `python3 …` are taken as they are. `startScript` reads package.json's scripts.start.
 */
export function resolveActorCommand(image: ImageConfig, startScript: () => string | undefined): ActorCommand {
  const command = [...asArray(image.Entrypoint), ...asArray(image.Cmd)];
  if (!command.length) throw cannotDebug('the image has no command (no CMD or ENTRYPOINT)');
  const words = isShellForm(command) ? splitCommandLine(command[2], `the image's command "${command[2]}"`) : command;
  return resolveWords(words, `the image's command "${command.join(' ')}"`, startScript);
}

function resolveWords(words: string[], what: string, startScript: () => string | undefined): ActorCommand {
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]); i++) {
    const eq = words[i].indexOf('=');
    env[words[i].slice(0, eq)] = words[i].slice(eq + 1);
  }
  const argv = words.slice(i);
  const program = basename(argv[0] ?? '');
  if (program === 'node' || program === 'nodejs') {
    if (argv.length === 1) throw cannotDebug(`${what} starts node with no script`);
    return { runtime: 'node', argv, env };
  }
  if (/^python(3(\.\d+)?)?$/.test(program)) return { runtime: 'python', argv, env };
  if (program === 'npm' && isNpmStart(argv.slice(1))) {
    const script = startScript();
    if (!script) throw cannotDebug(`${what} is npm start, but package.json has no scripts.start`);
    const resolved = resolveWords(splitCommandLine(script, `the start script "${script}"`), `the start script "${script}"`, () => undefined);
    return { ...resolved, env: { ...env, ...resolved.env } };
  }
  throw cannotDebug(`${what} does not run node, npm start or python directly`);
}

/** `npm start`, `npm run start`, with npm's quiet flags only (extra arguments would change what the script gets). */
function isNpmStart(args: string[]): boolean {
  const rest = args.filter((a) => !['--silent', '-s', '--quiet', '-q'].includes(a));
  return (rest.length === 1 && rest[0] === 'start') || (rest.length === 2 && rest[0] === 'run' && rest[1] === 'start');
}

/** The container's command for a debug run: the debugger in front of the Actor's program. */
export function debugLaunch(command: ActorCommand, workingDir: string, debugpyDir?: string): DebugLaunch {
  const containerPort = DEBUG_CONTAINER_PORTS[command.runtime];
  const [program, ...args] = command.argv;
  if (command.runtime === 'node') {
    // On every interface inside the container: the port is published on the host's loopback only.
    return { runtime: 'node', entrypoint: [program], cmd: [`--inspect-brk=0.0.0.0:${containerPort}`, ...args], env: command.env, containerPort, binds: [], workingDir };
  }
  if (!debugpyDir) throw new RunOptionsError('Cannot debug a Python Actor: no debugpy was found on this machine; install it (pip install debugpy, or apt install python3-debugpy) or the VS Code Python Debugger extension');
  const { interpreterFlags, target } = splitPythonArgs(args);
  const launcher = pythonLauncher(containerPort, target);
  return {
    runtime: 'python',
    entrypoint: [program],
    // Frozen standard modules would make debugpy miss breakpoints in them (and warn): Python 3.11+ can turn them off.
    cmd: ['-X', 'frozen_modules=off', ...interpreterFlags, '-c', launcher],
    env: command.env,
    containerPort,
    binds: [`${debugpyDir}:${DEBUGPY_CONTAINER_DIR}:ro`],
    workingDir,
  };
}

/** Python's own flags (-u, -X…), then what it runs: `-m module args…` or `script args…`. */
function splitPythonArgs(args: string[]): { interpreterFlags: string[]; target: { module?: string; script?: string; args: string[] } } {
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-m') {
      if (!args[i + 1]) break;
      return { interpreterFlags: flags, target: { module: args[i + 1], args: args.slice(i + 2) } };
    }
    if (arg === '-c') throw cannotDebug('the image runs python -c, which has no source file to stop in');
    if (!arg.startsWith('-')) return { interpreterFlags: flags, target: { script: arg, args: args.slice(i + 1) } };
    flags.push(arg);
    // The flags that take a value as the next word.
    if ((arg === '-X' || arg === '-W') && args[i + 1]) flags.push(args[++i]);
  }
  throw cannotDebug('the image starts python with no module or script');
}

/**
 * A few lines of Python in front of the Actor: debugpy listening, a line in the log once it does, then the wait
 * for the debugger, then the module or script as `python -m`/`python script` would run it.
 */
function pythonLauncher(port: number, target: { module?: string; script?: string; args: string[] }): string {
  const run = target.module
    ? `sys.argv = [${JSON.stringify(target.module)}] + ${JSON.stringify(target.args)}; runpy.run_module(${JSON.stringify(target.module)}, run_name='__main__', alter_sys=True)`
    : `sys.argv = [${JSON.stringify(target.script)}] + ${JSON.stringify(target.args)}; sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0])); runpy.run_path(sys.argv[0], run_name='__main__')`;
  return [
    'import os, runpy, sys',
    // Appended, so that the image's own packages always win.
    `sys.path.append(${JSON.stringify(DEBUGPY_CONTAINER_DIR)})`,
    'import debugpy',
    `debugpy.listen(('0.0.0.0', ${port}))`,
    `print('Greenroom: debugpy is listening on port ${port}; waiting for the debugger to attach', file=sys.stderr, flush=True)`,
    'debugpy.wait_for_client()',
    run,
  ].join('\n');
}

/**
 * Words of a shell command line, with '…' and "…" quoting and backslash escapes. Anything the shell would do
 * more (operators, substitutions, redirections) cannot be resolved to one program: refused.
 */
export function splitCommandLine(line: string, what: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw cannotDebug(`${what} has an unclosed quote`);
      const quoted = line.slice(i + 1, end);
      if (c === '"' && /[$`\\]/.test(quoted)) throw cannotDebug(`${what} uses shell expansion, which cannot be resolved to one program`);
      word = (word ?? '') + quoted;
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[;&|<>()$`*?~#\n]/.test(c)) {
      throw cannotDebug(`${what} uses shell syntax ("${c}"), which cannot be resolved to one program`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function cannotDebug(reason: string): RunOptionsError {
  return new RunOptionsError(
    `Cannot debug this Actor: ${reason}. Debugging needs a Node.js or Python image whose command is \`npm start\` (with a start script "node …"), \`node <script>\` or \`python3 -m <module>\`/\`python3 <script>\`: set CMD in the Dockerfile accordingly`,
  );
}

function asArray(value: string[] | string | null | undefined): string[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

function isShellForm(command: string[]): boolean {
  return command.length === 3 && /^\/bin\/(ba)?sh$/.test(command[0]) && command[1] === '-c';
}

/** package.json's scripts.start in a folder, if any. */
export function readStartScript(dir: string): string | undefined {
  try {
    const start = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: unknown } }).scripts?.start;
    return typeof start === 'string' ? start : undefined;
  } catch {
    return undefined;
  }
}

/** The host python3's debugpy package folder, or undefined when it has none. */
export async function findHostDebugpy(): Promise<string | undefined> {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const { stdout } = await promisify(execFile)(python, ['-c', 'import debugpy, os; print(os.path.dirname(debugpy.__file__))'], { timeout: 10_000 });
      const dir = stdout.trim();
      if (dir && existsSync(join(dir, '__init__.py'))) return dir;
    } catch {
      // not this interpreter
    }
  }
  return undefined;
}

/** Packages beside debugpy that it imports where a distribution unbundles them (Debian's pydevd needs `bytecode`). */
const DEBUGPY_COMPANIONS = ['bytecode'];

/**
 * A self-contained folder holding a copy of a debugpy package (links resolved: Debian's links its bundled pydevd to
 * files outside the package, which a mount of the package alone would not reach) and the companions found beside
 * it, made once per source folder; the folder goes on the container's sys.path.
 */
export function portableDebugpy(debugpyDir: string): string {
  if (!existsSync(join(debugpyDir, '__init__.py'))) {
    throw new RunOptionsError(`No debugpy package in ${debugpyDir} (a folder with debugpy's __init__.py); install debugpy (pip install debugpy, or apt install python3-debugpy) or name its folder`);
  }
  const key = createHash('sha256').update(debugpyDir).digest('hex').slice(0, 12);
  const target = join(tmpdir(), 'greenroom-debugpy', key);
  if (existsSync(join(target, 'debugpy', '__init__.py'))) return target;
  const partial = `${target}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const copy = (from: string, name: string) => cpSync(from, join(partial, name), { recursive: true, dereference: true, filter: (src) => basename(src) !== '__pycache__' });
  copy(debugpyDir, 'debugpy');
  for (const companion of DEBUGPY_COMPANIONS) {
    const beside = join(dirname(debugpyDir), companion);
    if (existsSync(beside)) copy(beside, companion);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}
