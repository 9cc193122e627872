/** The validator library: pure data in, diagnostics out. No `vscode` import anywhere under src/validator. */
export * from './types';
export { ActorFile, ActorLayout, actorLayout, diskFileSource } from './files';
export { formatDiagnostic, relativeFile } from './format';
export { ActorValidator, resolveActorFiles, validateDocument, SchemaRole } from './validator';
export { validateInput, applyInputDefaults, InputProblem } from './inputObject';
export { MAX_INPUT_SCHEMA_BYTES } from './inputSchema';
