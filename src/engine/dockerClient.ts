/**
 * The one place that talks to Docker: every call gets a deadline and can be cancelled, and connection
 * failures become messages that name the endpoint tried.
 */
import Docker from 'dockerode';
import { DockerEndpointOptions, resolveDockerEndpoint, ResolvedEndpoint } from './endpoint';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** Docker is unreachable, refused us, or did not answer in time. */
export class DockerUnavailableError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
  ) {
    super(message);
    this.name = 'DockerUnavailableError';
  }
}

export class DockerClient {
  readonly docker: Docker;
  readonly endpoint: ResolvedEndpoint;

  constructor(
    options: DockerEndpointOptions = {},
    readonly callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ) {
    this.endpoint = resolveDockerEndpoint(options);
    this.docker = new Docker(this.endpoint.modemOptions);
  }

  /**
   * Runs one Docker API call with a deadline. `fn` receives the AbortSignal to pass as dockerode's
   * `abortSignal`; the caller's own signal cancels it too. Pass `timeoutMs: 0` for streams that live as
   * long as a container (their lifetime is governed by the caller's signal).
   */
  async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.callTimeoutMs;
    const signals = [opts.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = AbortSignal.any(signals);
    try {
      return await raceAbort(fn(signal), signal);
    } catch (error) {
      throw this.explain(what, error, signal, timeoutMs);
    }
  }

  /** Fails with a clear DockerUnavailableError when the engine cannot be reached, or what answers is not Docker. */
  async ping(signal?: AbortSignal): Promise<void> {
    // dockerode's ping takes an abortSignal, but its typings offer no options at all.
    const ping = this.docker.ping.bind(this.docker) as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
    const where = this.endpoint.description;
    let answer: unknown;
    try {
      answer = await this.call('ping', (abortSignal) => ping({ abortSignal }), { signal, timeoutMs: Math.min(this.callTimeoutMs, 10_000) });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === undefined) throw error;
      throw new DockerUnavailableError(`${where} answers HTTP ${status} to Docker's /_ping: it is not a Docker engine's API. Point Greenroom at Docker's socket or port.`, where);
    }
    // Docker answers "OK"; any other HTTP server that happens to say 200 is not Docker either.
    if (String(answer).trim() !== 'OK') {
      throw new DockerUnavailableError(`${where} answers HTTP but not as Docker does to /_ping: it is not a Docker engine's API. Point Greenroom at Docker's socket or port.`, where);
    }
  }

  private explain(what: string, error: unknown, signal: AbortSignal, timeoutMs: number): Error {
    const where = this.endpoint.description;
    const code = (error as { code?: string }).code;
    if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError') {
      return new DockerUnavailableError(`Docker did not answer "${what}" within ${timeoutMs / 1000} s at ${where}`, where);
    }
    if (signal.aborted) return new CancelledError(`Docker call "${what}" was cancelled`);
    switch (code) {
      case 'ENOENT':
      case 'ECONNREFUSED':
        return new DockerUnavailableError(
          `Docker isn't running or isn't installed: nothing answers at ${where}. Start Docker (or Podman) or point Greenroom at another endpoint.`,
          where,
        );
      case 'EACCES':
      case 'EPERM':
        return new DockerUnavailableError(
          `Permission denied opening ${where}. Add your user to the "docker" group (then log in again) or choose a socket you may use.`,
          where,
        );
      case 'ENOTFOUND':
      case 'EHOSTUNREACH':
      case 'ETIMEDOUT':
      case 'ECONNRESET':
      case 'EPIPE':
        return new DockerUnavailableError(`Cannot reach Docker at ${where}: ${(error as Error).message}`, where);
      default:
        return error instanceof Error ? error : new Error(String(error));
    }
  }
}

export class CancelledError extends Error {
  name = 'CancelledError';
}

/** dockerode does not always reject on abort (e.g. while dialling a socket path): settle on the signal too. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** dockerode honours `abortSignal` on every call, but its typings omit it on a few option types. */
export function withSignal<T extends object>(options: T, abortSignal: AbortSignal): T {
  return { ...options, abortSignal };
}

/** True when a Docker API error is a 404 (no such container/image). */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}
