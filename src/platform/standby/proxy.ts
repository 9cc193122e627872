/**
 * A request to the standby URL passed on to a run's server and its response streamed back as it comes (Node's http,
 * piped both ways: nothing is buffered, so server-sent events and chunked answers arrive chunk by chunk). The path,
 * query, method, headers (Host included: the Actor sees the standby URL's host) and body go as sent, bar the
 * hop-by-hop headers, which belong to each connection.
 */
import { IncomingHttpHeaders, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';

/** The platform's readiness probe: a GET of `/` carrying this header (docs/platform.md#standby-mode). */
export const READINESS_PROBE_HEADER = 'x-apify-container-server-readiness-probe';

/** Headers of one connection, never forwarded (RFC 9110 §7.6.1), plus those named in `Connection`. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

export function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const drop = new Set([...HOP_BY_HOP, ...named]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

/** The request's headers as the run's server gets them: hop-by-hop ones dropped, X-Forwarded-* added. */
export function forwardedRequestHeaders(request: Pick<IncomingMessage, 'headers' | 'socket'>): IncomingHttpHeaders {
  const headers = withoutHopByHop(request.headers);
  const client = request.socket.remoteAddress;
  if (client) headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${client}` : client;
  headers['x-forwarded-proto'] ??= 'http';
  if (request.headers.host) headers['x-forwarded-host'] ??= request.headers.host;
  return headers;
}

/**
 * Forwards `request` to the server at `target` (`http://host:port`), streaming its answer into `response`; settles
 * when the exchange is over either way. A server that cannot be reached gets the client a 502 saying why.
 */
export function forwardRequest(request: IncomingMessage, response: ServerResponse, target: string): Promise<void> {
  const url = new URL(target);
  return new Promise((resolve) => {
    const upstream = httpRequest({ hostname: url.hostname, port: url.port, method: request.method, path: request.url, headers: forwardedRequestHeaders(request) });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      // Sent at once, so a client of a long-lived stream sees the status before the first chunk.
      response.flushHeaders();
      answer.pipe(response);
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error) => {
      if (response.headersSent) response.destroy(error);
      else sendError(response, 502, `The Actor's standby server at ${target} did not answer: ${error.message}`);
    });
    // A client that goes away ends the exchange with the run's server too.
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
      resolve();
    });
    request.pipe(upstream);
  });
}

/** A plain-text error answer from Greenroom itself (not from the Actor). */
export function sendError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  const body = `Greenroom standby: ${message}\n`;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
