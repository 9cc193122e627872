import type { DockerClient } from './dockerClient';
import type { ActorLayout, RecordStore } from './recordStore';
import type { EngineEvent, Origin } from './types';

/** What the engine's parts share: one Docker client, one record store, one event stream. */
export interface EngineContext {
  readonly docker: DockerClient;
  readonly store: RecordStore;
  readonly layout: ActorLayout;
  readonly origin: Origin;
  emit(event: EngineEvent): void;
}

/**
 * Docker labels on the containers Greenroom creates, so clean-ups can find them. Images carry no labels
 * (the legacy builder would add a build step per label); they are named `greenroom/<actor>-<hash>:<build>`.
 */
export const LABELS = {
  actorRoot: 'dev.greenroom.actor-root',
  buildId: 'dev.greenroom.build-id',
  runId: 'dev.greenroom.run-id',
  /** A container started ahead for a dev-mode run (warmStart.ts); a run that took it over keeps the label. */
  spare: 'dev.greenroom.spare',
} as const;
