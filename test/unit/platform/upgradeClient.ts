/** A client of the test servers' "echo" upgrade (standby proxy tests, unit and Docker). */
import { IncomingMessage, request as httpRequest } from 'node:http';
import type { Duplex } from 'node:stream';

/** An upgrade to the protocol "echo" at `url`: the switching answer and the connection. */
export function upgrade(url: string): Promise<{ answer: IncomingMessage; socket: Duplex }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { connection: 'upgrade', upgrade: 'echo' } });
    request.on('upgrade', (answer, socket) => resolve({ answer, socket }));
    request.on('response', (answer) => reject(new Error(`no upgrade: HTTP ${answer.statusCode}`)));
    request.on('error', reject);
    request.end();
  });
}

export function firstData(socket: Duplex): Promise<string> {
  return new Promise((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
}
