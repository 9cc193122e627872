/** Greenroom's local Docker engine for Apify Actors. No `vscode` import anywhere below this folder. */
export { ActorEngine, ActorEngineOptions } from './engine';
export { ActorDefinition, ActorDefinitionError, readActorDefinition } from './actorDefinition';
export { BuildHandle, BuildOptions } from './builds';
export { CancelledError, DockerClient, DockerUnavailableError } from './dockerClient';
export { DebugRuntime, DEBUG_CONTAINER_PORTS, findHostDebugpy } from './debugging';
export { changedDependencyFiles, DEV_MODE_EXCLUDED } from './devMode';
export { DockerEndpointOptions, resolveDockerEndpoint } from './endpoint';
export { FollowEvent, FollowOptions, FollowSubject } from './follow';
export { InputFileError, InvalidInputError } from './input';
export { GREENROOM_DIR } from './recordStore';
export { actorIdOf, platformIdOf, AtHomePlatform, PlatformChoice, PlatformLink, PlatformRunRequest, StorageMode } from './platformLink';
export { RunHandle } from './runMonitor';
export { PricingError } from './pricing';
export { MetamorphRequest, noSuchRun, ResurrectOptions, RunOptionsError, RunStartOptions } from './runs';
export { MissingSecretsError, SecretsStore } from './secrets';
export * from './types';
export { liveContainerUrl } from './webServerPort';
