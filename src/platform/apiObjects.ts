/**
 * Runs, builds and Actors as the platform API returns them: the record's platform fields (docs/actor-model.md) plus
 * the ones clients read (userId, actId as the Actor's id), never Greenroom's own (`greenroom.*` holds the run's
 * token, its container, its environment; builds keep their image there too).
 */
import { actorIdOf } from '../engine/platformLink';
import { runCharges } from '../engine/chargeLedger';
import { actorPricingInfos } from '../engine/pricing';
import { ActorLayout } from '../engine/recordStore';
import type { ActorEngine } from '../engine/engine';
import { DEFAULT_RUN_TIMEOUT_SECS } from '../engine/runs';
import type { BuildRecord, RunRecord } from '../engine/types';
import type { WorkspaceActor } from '../workspace/actor';
import { LOCAL_USER } from './routes/users';

export function runObject(actor: WorkspaceActor, run: RunRecord): Record<string, unknown> {
  const { greenroom: _internals, stats, ...platformFields } = run;
  const { datasetItemCount: _greenroomExtra, ...platformStats } = stats;
  return {
    ...platformFields,
    actId: actorIdOf(actor.name),
    userId: LOCAL_USER.id,
    actorTaskId: run.actorTaskId ?? null,
    stats: platformStats,
    isContainerServerReady: run.containerUrl !== null && run.status === 'RUNNING',
    generalAccess: 'FOLLOW_USER_SETTING',
    ...chargeFields(actor, run),
  };
}

/**
 * A pay-per-event run's charges as the platform's fields: every charged event, the part within maxTotalChargeUsd,
 * and its cost as `usageTotalUsd` (what the run costs its user; local runs have no compute-unit price). None for a
 * free run (the SDK's tests expect no `chargedEventCounts` there).
 */
function chargeFields(actor: WorkspaceActor, run: RunRecord): Record<string, unknown> {
  const cost = runCharges(new ActorLayout(actor.root), run);
  if (!cost) return {};
  return { chargedEventCounts: cost.chargedEventCounts, accountedChargedEventCounts: cost.accountedChargedEventCounts, usageTotalUsd: cost.accountedTotalUsd };
}

export function buildObject(actor: WorkspaceActor, build: BuildRecord): Record<string, unknown> {
  const { greenroom: _internals, imageName: _image, imageId: _imageId, ...platformFields } = build;
  return { ...platformFields, actId: actorIdOf(actor.name), userId: LOCAL_USER.id };
}

/** An Actor in `GET /v2/acts` (the platform's short form). */
export function actorListItem(actor: WorkspaceActor, engine: ActorEngine): Record<string, unknown> {
  const { createdAt, modifiedAt } = actorDates(engine);
  return { id: actorIdOf(actor.name), name: actor.name, username: LOCAL_USER.username, createdAt, modifiedAt };
}

/** An Actor in `GET /v2/acts/:actorId`: its definition's version, default run options, tagged builds, run counts. */
export function actorObject(actor: WorkspaceActor, engine: ActorEngine): Record<string, unknown> {
  const definition = engine.definition();
  const builds = engine.listBuilds();
  const runs = engine.listRuns();
  const taggedBuilds = Object.fromEntries(
    Object.entries(engine.tags()).flatMap(([tag, buildId]) => {
      const build = builds.find((b) => b.id === buildId);
      return build ? [[tag, { buildId, buildNumber: build.buildNumber, finishedAt: build.finishedAt }]] : [];
    }),
  );
  return {
    ...actorListItem(actor, engine),
    userId: LOCAL_USER.id,
    isPublic: false,
    stats: { totalBuilds: builds.length, totalRuns: runs.length, totalUsers: 1, lastRunStartedAt: runs[0]?.startedAt ?? null },
    versions: [{ versionNumber: definition.version, sourceType: 'SOURCE_FILES', buildTag: definition.buildTag, envVars: [] }],
    defaultRunOptions: {
      build: definition.buildTag,
      timeoutSecs: DEFAULT_RUN_TIMEOUT_SECS,
      // A memory expression depends on the run's input: the platform's fallback stands in for it here.
      memoryMbytes: typeof definition.memory.defaultMbytes === 'number' ? definition.memory.defaultMbytes : 1024,
    },
    taggedBuilds,
    pricingInfos: actorPricingInfos(actor.root),
  };
}

/** The platform's Actor dates; locally the first and the newest build or run stand in for creation and change. */
function actorDates(engine: ActorEngine): { createdAt: string; modifiedAt: string } {
  const times = [...engine.listBuilds(), ...engine.listRuns()].map((record) => record.startedAt).sort();
  const now = new Date().toISOString();
  return { createdAt: times[0] ?? now, modifiedAt: times[times.length - 1] ?? now };
}
