/** Running the CLI in the test's own process. */
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';

/** Runs `greenroom …` in this process; resolves with the exit code and what it wrote. */
export async function greenroom(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => new Writable({ write: (chunk, _encoding, done) => ((out[key] += String(chunk)), done()) });
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    const code = await main(args, { stdout: sink('stdout'), stderr: sink('stderr'), cwd });
    return { code, ...out };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
