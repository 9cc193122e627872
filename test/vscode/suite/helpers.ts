// Small helpers for the VS Code suite.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import * as vscode from 'vscode';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';

export const EXTENSION_ID = 'greenroom.greenroom';

/** The copy of examples/hello-actor that the launcher opened as the workspace. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open: the launcher must open a copy of examples/hello-actor');
  return folder.uri;
}

/** Activates Greenroom (a no-op when its activation event already did) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  return extension;
}

/**
 * How long a wait on the workbench or the extension gives up after: far beyond the real time (well under a second
 * on an idle machine), so that only something that never happens runs into it on a machine busy with other work.
 */
export const WAIT_CEILING_MS = 60_000;
/** The same for a wait on Docker work that may include a build of the example Actor (its npm install). */
export const DOCKER_WAIT_CEILING_MS = 240_000;

/** Polls `probe` until it returns a value other than undefined, or fails with `what` after `ceilingMs`. */
export function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ceilingMs = WAIT_CEILING_MS): Promise<T> {
  return waitUntil(what, probe, (value): value is T => value !== undefined, ceilingMs);
}

/** Polls `read` until `done` holds for what it read, or fails with `what` and the last state read after `ceilingMs`. */
export async function waitUntil<S, T extends S = S>(what: string, read: () => S | Promise<S>, done: (state: S) => state is T, ceilingMs?: number): Promise<T>;
export async function waitUntil<S>(what: string, read: () => S | Promise<S>, done: (state: S) => boolean, ceilingMs?: number): Promise<S>;
export async function waitUntil<S>(what: string, read: () => S | Promise<S>, done: (state: S) => boolean, ceilingMs = WAIT_CEILING_MS): Promise<S> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const state = await read();
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`gave up after ${ceilingMs / 1000} s waiting for ${what}; last seen: ${util.inspect(state, { depth: 4, breakLength: Infinity })}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Asks the launcher for a screenshot of the workbench, saved as test-artifacts/<launcher>/screenshots/<name>.png.
 * Only the code-server launcher can take one (it sets GREENROOM_SCREENSHOT_DIR); elsewhere this does nothing.
 */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.GREENROOM_SCREENSHOT_DIR;
  if (!dir) return;
  const safeName = name.replace(/[^\w.-]+/g, '-');
  fs.writeFileSync(path.join(dir, `${safeName}.request`), '');
  await waitFor(`screenshot ${safeName}`, () => (fs.existsSync(path.join(dir, `${safeName}.request`)) ? undefined : true));
}

/**
 * Asks the code-server launcher to press `key` in the workbench as a user would (e.g. `F5`, `Enter`) and returns
 * when it was pressed (Date.now()). Only that launcher can (it sets GREENROOM_SCREENSHOT_DIR): elsewhere this throws.
 */
export async function pressKey(key: string): Promise<number> {
  const dir = process.env.GREENROOM_SCREENSHOT_DIR;
  if (!dir) throw new Error('only the code-server launcher can press keys (GREENROOM_SCREENSHOT_DIR is not set)');
  const name = `key-${Date.now()}-${key.replace(/[^\w]+/g, '-')}`;
  fs.writeFileSync(path.join(dir, `${name}.press`), key);
  const answer = path.join(dir, `${name}.pressed`);
  const pressedAt = await waitFor(`the launcher to press ${key}`, () => (fs.existsSync(answer) ? Number(fs.readFileSync(answer, 'utf8')) : undefined));
  fs.rmSync(answer, { force: true });
  return pressedAt;
}

/**
 * The platform half of the suite's SDK-less fixture Actors (plain Node, as small and fast to build as can be): at home
 * they call the local API as the SDK would (`api(route, init)`, `readInput()`); in local mode they read the storage
 * folder mounted at APIFY_LOCAL_STORAGE_DIR.
 */
export const FIXTURE_PLATFORM_JS = `const fs = require('fs');
const path = require('path');
const env = process.env;
const atHome = env.APIFY_IS_AT_HOME === '1';
const api = (route, init = {}) =>
  fetch(env.APIFY_API_BASE_URL.replace(/\\/$/, '') + '/v2/' + route, { ...init, headers: { authorization: 'Bearer ' + env.APIFY_TOKEN, 'content-type': 'application/json' } });
async function readInput() {
  if (atHome) {
    const response = await api('key-value-stores/' + env.ACTOR_DEFAULT_KEY_VALUE_STORE_ID + '/records/' + env.ACTOR_INPUT_KEY);
    return response.ok ? response.json() : {};
  }
  const file = path.join(env.APIFY_LOCAL_STORAGE_DIR, 'key_value_stores', env.ACTOR_DEFAULT_KEY_VALUE_STORE_ID, env.ACTOR_INPUT_KEY + '.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}
`;

/**
 * Writes a small Actor into `dir` (actor.json, a Dockerfile in .actor/, and `files` at paths relative to `dir`) and waits
 * until Greenroom's views know it.
 */
export async function makeActor(dir: string, dockerfile: string, files: Record<string, string> = {}): Promise<void> {
  fs.mkdirSync(path.join(dir, '.actor'), { recursive: true });
  const actorJson = { actorSpecification: 1, name: path.basename(dir), version: '0.1', dockerfile: './Dockerfile' };
  fs.writeFileSync(path.join(dir, '.actor', 'actor.json'), JSON.stringify(actorJson));
  fs.writeFileSync(path.join(dir, '.actor', 'Dockerfile'), dockerfile);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  await waitFor(`the Actor in ${dir} to be found`, async () => {
    await vscode.commands.executeCommand('greenroom.refresh');
    const items = await vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.buildsView);
    return items?.some((item) => item.actorRoot === dir) ? true : undefined;
  });
}
