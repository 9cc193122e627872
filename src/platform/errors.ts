/**
 * Errors as the platform API returns them: an HTTP status and `{"error": {"type", "message"}}`. Routes throw an
 * ApiError; the server's error handler turns it (and Fastify's own errors) into that shape.
 */
import { ActorDefinitionError, DockerUnavailableError, InputFileError, InvalidInputError, MissingSecretsError, PricingError, RunOptionsError } from '../engine';

export class ApiError extends Error {
  name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const missingToken = (): ApiError =>
  new ApiError(401, 'token-not-provided', 'Authentication token was not provided');
export const invalidToken = (): ApiError =>
  new ApiError(401, 'token-not-valid', 'User was not found or authentication token is not valid');
/** A run's token reaching for what belongs to another run. */
export const forbidden = (what: string): ApiError =>
  new ApiError(403, 'insufficient-permissions', `This run's token does not give access to ${what}`);
export const recordNotFound = (what: string): ApiError => new ApiError(404, 'record-not-found', `${what} was not found`);
export const invalidInput = (message: string): ApiError => new ApiError(400, 'invalid-input', message);

/** The body of an error response. */
export function errorBody(error: ApiError): { error: { type: string; message: string } } {
  return { error: { type: error.type, message: error.message } };
}

/**
 * The engine's refusals as the platform words them: invalid input is the platform's 400 `invalid-input` ("Input is
 * not valid: …"), bad run options and definitions are 400s with the engine's message, Docker out of reach is a 503.
 * Undefined for anything else (a bug: the server answers 500).
 */
export function engineApiError(error: unknown): ApiError | undefined {
  if (error instanceof InvalidInputError) return invalidInput(`Input is not valid: ${error.problems.map((p) => p.message).join('; ')}`);
  if (error instanceof DockerUnavailableError) return new ApiError(503, 'docker-unavailable', error.message);
  const refusals = [InputFileError, RunOptionsError, MissingSecretsError, ActorDefinitionError, PricingError];
  if (refusals.some((type) => error instanceof type)) return invalidInput((error as Error).message);
  return undefined;
}
