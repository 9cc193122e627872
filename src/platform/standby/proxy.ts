/**
 * A request to the standby URL passed on to a run's server and its response streamed back as it comes (Node's http,
 * piped both ways: nothing is buffered, so server-sent events and chunked answers arrive chunk by chunk). The path,
 * query, method, headers (Host included: the Actor sees the standby URL's host) and body go as sent, bar the
 * hop-by-hop headers, which belong to each connection. An upgrade (a WebSocket) is passed on as well.
 */
import { IncomingHttpHeaders, IncomingMessage, request as httpRequest, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

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

/**
 * Forwards an upgrade request (a WebSocket) to the server at `target`: once it switches protocols, bytes flow both
 * ways until either side closes; an answer without the switch is passed on as it is. Settles when the connection ends.
 */
export function forwardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, target: string): Promise<void> {
  const url = new URL(target);
  return new Promise((resolve) => {
    const headers = { ...forwardedRequestHeaders(request), connection: 'upgrade', upgrade: request.headers.upgrade };
    const upstream = httpRequest({ hostname: url.hostname, port: url.port, method: request.method, path: request.url, headers });
    const finish = () => {
      upstream.destroy();
      socket.destroy();
      resolve();
    };
    socket.once('close', finish);
    socket.on('error', finish);
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      socket.write(statusAndHeaders(answer));
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.once('close', finish);
      upstreamSocket.on('error', finish);
      socket.once('close', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    upstream.on('response', (answer) => {
      socket.write(statusAndHeaders(answer));
      answer.pipe(socket);
    });
    upstream.on('error', (error) => sendSocketError(socket, 502, `The Actor's standby server at ${target} did not answer: ${error.message}`));
    upstream.end();
  });
}

/** An answer's status line and headers as raw HTTP/1.1, for a socket taken over from the HTTP server. */
function statusAndHeaders(answer: IncomingMessage): string {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/** A plain-text error answer from Greenroom itself (not from the Actor). */
export function sendError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  const body = `Greenroom standby: ${message}\n`;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** sendError on a socket taken over from the HTTP server (an upgrade request). */
export function sendSocketError(socket: Duplex, status: number, message: string): void {
  const body = `Greenroom standby: ${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
