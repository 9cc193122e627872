/** How a command finds the run or build it is about: the one a menu or caller gave, else one the user picks. */
import * as vscode from 'vscode';
import { BuildRecord, RunRecord, runName } from '../../engine';
import { ActorEntry, ActorHint } from '../actors/actorRegistry';
import { Services } from './services';

/** A run as menus pass it (a Runs view node) or as other commands and tests pass it. */
export type RunTarget = { actorRoot: string; runId: string } | undefined;
export type BuildTarget = { actorRoot: string; buildId: string } | undefined;

/** The run a command means: the one given, else the only run that passes `filter`, else one picked from those. */
export async function pickRun(services: Services, target: RunTarget, purpose: string, filter: (run: RunRecord) => boolean = () => true): Promise<{ actor: ActorEntry; run: RunRecord } | undefined> {
  const actor = await services.registry.pick(target as ActorHint, purpose);
  if (!actor) return undefined;
  if (target?.runId) {
    const run = actor.engine.getRun(target.runId);
    if (!run) void vscode.window.showErrorMessage(`${purpose}: run ${target.runId} no longer exists.`);
    return run && { actor, run };
  }
  const runs = actor.engine.listRuns().filter(filter);
  if (!runs.length) {
    void vscode.window.showInformationMessage(`${purpose}: ${actor.name} has no run for that.`);
    return undefined;
  }
  if (runs.length === 1) return { actor, run: runs[0] };
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: runName(run), description: `${run.status} · ${run.buildNumber} · ${run.id}`, detail: run.statusMessage ?? undefined, run })),
    { title: `${purpose}: which run of ${actor.name}?` },
  );
  return picked && { actor, run: picked.run };
}

export async function pickBuild(services: Services, target: BuildTarget, purpose: string): Promise<{ actor: ActorEntry; build: BuildRecord } | undefined> {
  const actor = await services.registry.pick(target as ActorHint, purpose);
  if (!actor) return undefined;
  if (target?.buildId) {
    const build = actor.engine.getBuild(target.buildId);
    if (!build) void vscode.window.showErrorMessage(`${purpose}: build ${target.buildId} no longer exists.`);
    return build && { actor, build };
  }
  const builds = actor.engine.listBuilds();
  if (!builds.length) {
    void vscode.window.showInformationMessage(`${purpose}: ${actor.name} has no build yet.`);
    return undefined;
  }
  if (builds.length === 1) return { actor, build: builds[0] };
  const picked = await vscode.window.showQuickPick(
    builds.map((build) => ({ label: build.buildNumber, description: `${build.status} · ${build.id}`, build })),
    { title: `${purpose}: which build of ${actor.name}?` },
  );
  return picked && { actor, build: picked.build };
}
