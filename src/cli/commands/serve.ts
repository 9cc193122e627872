import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { cliPlatform, optionalNumber, WORKSPACE_OPTION, workspaceRootFrom } from '../engineCli';
import type { TaskFileError } from '../../workspace/tasks';
import { describeFire, ScheduleState, workspaceScheduler } from '../../workspace/scheduler';
import { scheduleTarget } from '../../workspace/schedules';
import { releaseScheduling } from '../../workspace/schedulerLock';
import type { ActorWorkspace } from '../../workspace/workspace';
import type { WorkspacePlatform } from '../../platform/workspacePlatform';

export const serveCommand: CliCommand = {
  usage: [
    'Usage: greenroom serve [--port N] [--workspace DIR]',
    '',
    "Serves the local Apify API for the workspace's Actors until Ctrl+C: the SDK of every run goes through it",
    '("at home"), and apify-client or any HTTP client can start and follow runs, read storages and logs with the',
    'printed URL and token. It listens on 127.0.0.1 and on the Docker bridge gateway (for containers), never on',
    "every interface. The workspace (default: the current Actor's git repository, else the folder above it, or",
    'the current folder outside an Actor) records the server in .greenroom/platform.json, so `greenroom run` and',
    'the extension use it. --port: this port (default: the one used last time when free, else any).',
    'Each Actor with "usesStandbyMode": true gets a standby URL (printed): a request there starts a standby run or',
    "reuses one, waits for its server's readiness and is proxied to it; idle runs are wound down (actor.json",
    '"actorStandby": maxRequestsPerActorRun, desiredRequestsPerActorRun, idleTimeoutSecs, build, memoryMbytes).',
    "While it serves, the Actors' schedules (.actor/schedules.json) fire; each schedule's next fire time is printed,",
    'and each fire. Fires missed while nothing served are not replayed. One process fires a workspace\'s schedules',
    '(.greenroom/scheduler.json): with an editor already firing them, this one only shows them.',
  ].join('\n'),
  options: { ...WORKSPACE_OPTION, port: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`serve takes no positional arguments, got ${positionals.join(' ')}`);
    const port = optionalNumber(values, 'port', { what: 'a port number', min: 1 });
    if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new UsageError(`--port must be a port number 1–65535, got ${String(values.port)}`);
    const workspaceRoot = workspaceRootFrom(io, values.workspace);
    const { platform, workspace } = cliPlatform(workspaceRoot, { port, useServing: false });
    let served;
    try {
      served = await platform.serve();
    } catch (error) {
      io.stderr.write(`greenroom serve: ${(error as Error).message}\n`);
      workspace.dispose();
      return EXIT_FAILURE;
    }
    // Runs a previous server started through the API, left running when it stopped, are followed again here.
    for (const actor of workspace.refresh()) await workspace.engineFor(actor.root).reconcile().catch(() => undefined);
    io.stdout.write(
      [
        `Local Apify API for ${workspaceRoot}`,
        `  URL:   ${served.url}`,
        `  Token: ${served.token}`,
        served.containerHost ? `  Containers reach it at http://${served.containerHost}:${served.port}` : `  Runs stay in local mode: ${served.containerProblem}`,
        `  e.g. new ApifyClient({ baseUrl: '${served.url}', token: '<the token>' }); Ctrl+C stops.`,
        '',
      ].join('\n'),
    );
    io.stdout.write(await describeStandbyUrls(workspace, platform));
    const scheduler = workspaceScheduler(workspace, workspaceRoot, {
      onChange: (states, problems) => {
        const shown = describeSchedules(states, problems);
        if (shown !== lastShown) io.stdout.write(shown);
        lastShown = shown;
      },
      onFire: (state) =>
        io.stdout.write(`Schedule ${state.schedule.name} of ${state.actor.name}: ${describeFire(state)}\n`),
    });
    let lastShown = '';
    scheduler.start();
    await untilInterrupted();
    scheduler.stop();
    releaseScheduling(workspaceRoot);
    io.stderr.write('Stopping the local Apify API…\n');
    await platform.close();
    workspace.dispose();
    return EXIT_OK;
  },
};

/** Each standby Actor's URL (listening from now on), or why it has none. */
async function describeStandbyUrls(workspace: ActorWorkspace, platform: WorkspacePlatform): Promise<string> {
  const lines: string[] = [];
  for (const actor of workspace.actors) {
    let usesStandbyMode;
    try {
      usesStandbyMode = workspace.engineFor(actor.root).definition().usesStandbyMode;
    } catch {
      continue; // A definition that cannot be read: its runs say why.
    }
    if (!usesStandbyMode) continue;
    const url = await platform.standbyUrl(actor.root).catch((error: Error) => `none: ${error.message}`);
    lines.push(`  ${actor.name}: ${url}`);
  }
  return lines.length ? ['Standby URLs:', ...lines, ''].join('\n') : '';
}

/** The schedules and their next fire times (printed again when that changes), and the files that cannot be read. */
function describeSchedules(states: readonly ScheduleState[], problems: readonly TaskFileError[]): string {
  if (!states.length && !problems.length) return '';
  const lines = states.map(({ actor, schedule, nextAt }) => {
    const what = scheduleTarget(schedule);
    const next = !schedule.enabled ? 'disabled' : nextAt ? `next ${nextAt.toISOString()}` : 'never fires again';
    return `  ${actor.name} / ${schedule.name} (${schedule.cron}${schedule.timezone === 'UTC' ? '' : ` ${schedule.timezone}`}, ${what}): ${next}`;
  });
  return ['Schedules:', ...lines, ...problems.map((problem) => `  cannot be read: ${problem.message}`), ''].join('\n');
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
