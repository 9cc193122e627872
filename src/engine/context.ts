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

/** Docker labels on everything Greenroom creates, so tests and clean-ups can find it. */
export const LABELS = {
  actorRoot: 'dev.greenroom.actor-root',
  buildId: 'dev.greenroom.build-id',
  runId: 'dev.greenroom.run-id',
} as const;
