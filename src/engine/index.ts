/** Greenroom's local Docker engine for Apify Actors. No `vscode` import anywhere below this folder. */
export { ActorEngine, ActorEngineOptions } from './engine';
export { ActorDefinition, ActorDefinitionError, readActorDefinition } from './actorDefinition';
export { BuildHandle, BuildOptions } from './builds';
export { CancelledError, DockerClient, DockerUnavailableError } from './dockerClient';
export { DockerEndpointOptions, resolveDockerEndpoint } from './endpoint';
export { InputFileError, InvalidInputError } from './input';
export { GREENROOM_DIR } from './recordStore';
export { noSuchRun, ResurrectOptions, RunHandle, RunOptionsError, RunStartOptions } from './runs';
export { MissingSecretsError, SecretsStore } from './secrets';
export * from './types';
export { liveContainerUrl } from './webServerPort';
