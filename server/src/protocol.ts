/**
 * What the Greenroom language server and its client (src/extension/language/definitionClient.ts) say to each other
 * beyond LSP: custom notification names, their payloads, the initialization options and the settings section. Both
 * sides import this module, which imports only types, so the extension does not load the server.
 */
import type { WarningLevel } from '../../src/validator/types';

/** Server → client after each validation starts and ends, for the client's language status item. */
export const STATUS_NOTIFICATION = 'greenroom/status';

export interface ServerStatus {
  state: 'validating' | 'idle';
  /** Actors with a validation result. */
  actors: number;
  errors: number;
  warnings: number;
  lastValidationMs: number;
}

/** `initializationOptions` of the initialize request. */
export interface InitializationOptions {
  /** The client already reports JSON syntax errors in open .json documents (VS Code's JSON support does). */
  clientReportsJsonSyntax?: boolean;
}

/** The configuration section the server reads (workspace/configuration) and registers change notifications for. */
export const SETTINGS_SECTION = 'greenroom';
export const VALIDATION_SETTINGS_SECTION = 'greenroom.validation';

/** `greenroom.validation.*` (package.json `contributes.configuration`). */
export interface ValidationSettings {
  enable: boolean;
  warnings: WarningLevel;
  debounceMs: number;
}
