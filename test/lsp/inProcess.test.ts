/** createServer() over a connection the caller makes: here two in-memory streams, no child process. */
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { createServer } from '../../server/src/definitionServer';
import { ServerStatus, STATUS_NOTIFICATION } from '../../server/src/protocol';
import { copyExampleActor } from './workspace';

describe('language server in process (createServer)', () => {
  it('serves the connection it is given: initialize, then the workspace validated with a status notification', async function () {
    this.timeout(120_000);
    const actor = copyExampleActor();
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    createServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
    const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const idle = new Promise<ServerStatus>((resolve) => {
      client.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
        if (status.state === 'idle') resolve(status);
      });
    });
    client.onNotification('textDocument/publishDiagnostics', () => undefined);
    client.listen();
    try {
      const result = await client.sendRequest<InitializeResult>('initialize', {
        processId: null,
        rootUri: null,
        capabilities: {},
        workspaceFolders: [{ uri: URI.file(actor.root).toString(), name: 'actor' }],
      });
      assert.equal(result.serverInfo?.name, 'Greenroom Actor definition server');
      await client.sendNotification('initialized', {});
      const status = await idle;
      assert.deepEqual([status.actors, status.errors], [1, 0]);
    } finally {
      await client.sendRequest('shutdown').catch(() => undefined);
      client.dispose();
      toServer.end();
      actor.dispose();
    }
  });
});
