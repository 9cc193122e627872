// The language server's process (bundled as dist/server.js): the connection to the client, and the server over it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createServer } from './definitionServer';

createServer(createConnection(ProposedFeatures.all));
