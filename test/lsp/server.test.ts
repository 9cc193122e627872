import * as assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, DocumentLink, DocumentSymbol, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { LspProcess, WAIT_CEILING_MS, messageOf, uriOf } from './lspProcess';
import { copyExampleActor, positionOf } from './workspace';

const INPUT_SCHEMA = '.actor/input_schema.json';
const ACTOR_JSON = '.actor/actor.json';
const INPUT_JSON = 'storage/key_value_stores/default/INPUT.json';

describe('language server over LSP (dist/server.js)', function () {
  // Room for a wait to reach its own ceiling and say what it saw, rather than mocha's bare time-out.
  this.timeout(2 * WAIT_CEILING_MS);
  let server: LspProcess;
  let actor: ReturnType<typeof copyExampleActor>;

  beforeEach(async function () {
    actor = copyExampleActor();
    server = new LspProcess();
    await server.initialize(actor.root);
  });

  afterEach(async function () {
    await server.stop();
    actor.dispose();
  });

  it('announces its features', async function () {
    const fresh = new LspProcess();
    try {
      const { capabilities } = await fresh.initialize(actor.root);
      assert.ok(capabilities.completionProvider);
      assert.equal(capabilities.hoverProvider, true);
      assert.equal(capabilities.definitionProvider, true);
      assert.ok(capabilities.codeActionProvider);
      assert.ok(capabilities.documentLinkProvider);
      assert.equal(capabilities.textDocumentSync, 2, 'incremental sync');
    } finally {
      await fresh.stop();
    }
  });

  it('validates the workspace on start: the example has no errors', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    await server.waitForValidation('the validation of the workspace on start', 0);
    assert.ok(server.diagnosticsOf(schema), 'the input schema was validated');
    const errors = [...server.published.values()].flat().filter((d) => d.severity === 1);
    assert.deepEqual(errors, []);
  });

  it('reports a wrong editor at the editor value while typing, with a fix per allowed editor', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const broken = actor.read(INPUT_SCHEMA).replace('"editor": "checkbox"', '"editor": "textarea"');
    await server.open(schema, broken);
    await server.waitFor('the wrong editor to be reported', () => (server.diagnosticsOf(schema) ?? []).some((d) => d.severity === 1));
    const [error] = server.diagnosticsOf(schema)!.filter((d) => d.severity === 1);
    assert.equal(error.source, 'greenroom');
    assert.match(messageOf(error), /textarea/);
    assert.match(messageOf(error), /checkbox/);
    const start = positionOf(broken, '"textarea"');
    assert.deepEqual(error.range.start, start);

    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(schema) },
      range: error.range,
      context: { diagnostics: [error] },
    });
    const titles = actions.map((a) => a.title).join(' | ');
    assert.match(titles, /checkbox/);
    const preferred = actions.find((a) => a.isPreferred) ?? actions[0];
    assert.ok(preferred.edit?.documentChanges?.length, 'the fix carries an edit');
  });

  it('re-checks INPUT.json when the input schema it depends on changes', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const input = actor.file(INPUT_JSON);
    await server.open(input, actor.read(INPUT_JSON));
    await server.waitFor('INPUT.json to be checked', () => server.diagnosticsOf(input) !== undefined);
    assert.equal((server.diagnosticsOf(input) ?? []).filter((d) => d.severity === 1).length, 0);

    // The example's INPUT.json says repeat: 2; lowering the maximum to 1 makes it invalid.
    const stricter = actor.read(INPUT_SCHEMA).replace('"maximum": 10', '"maximum": 1');
    await server.open(schema, stricter);
    await server.waitFor('INPUT.json to be re-checked against the stricter schema', () => (server.diagnosticsOf(input) ?? []).some((d) => d.severity === 1));
    const [error] = server.diagnosticsOf(input)!.filter((d) => d.severity === 1);
    assert.match(messageOf(error), /repeat/);
  });

  it('debounces a burst of keystrokes into few validations that end on the latest text', async function () {
    const slow = new LspProcess({ enable: true, warnings: 'all', debounceMs: 100 });
    try {
      await slow.initialize(actor.root);
      const schema = actor.file(INPUT_SCHEMA);
      const text = actor.read(INPUT_SCHEMA);
      await slow.open(schema, text);
      await slow.waitFor('the opened schema to be validated', () => slow.validationCount > 0 && slow.diagnosticsOf(schema) !== undefined);
      const before = slow.validationCount;
      // One burst, written without waiting in between: how far apart the keystrokes arrive is not the test's to time.
      const keystrokes = [];
      for (let version = 2; version <= 30; version++) {
        keystrokes.push(slow.change(schema, text.replace('"title": "Names"', `"title": "Names${version}", "bogus${version}": 1`), version));
      }
      await Promise.all(keystrokes);
      await slow.waitFor('the diagnostics of the last keystroke (bogus30)', () => (slow.diagnosticsOf(schema) ?? []).some((d) => messageOf(d).includes('bogus30')));
      // A stale validation (overtaken by a newer keystroke) publishes nothing and does not count.
      assert.ok(slow.validationCount - before <= 3, `too many validations: ${slow.validationCount - before}`);
      assert.ok(!slow.diagnosticsOf(schema)!.some((d) => messageOf(d).includes('bogus29')), 'stale diagnostics were published last');
    } finally {
      await slow.stop();
    }
  });

  it('completes the editors allowed for a field type', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const text = actor.read(INPUT_SCHEMA);
    await server.open(schema, text);
    const items = await server.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(schema) },
      position: positionOf(text, '"checkbox"', 1),
    });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('checkbox') && labels.includes('hidden'), labels.join(','));
    assert.ok(!labels.includes('textarea'), 'textarea is not an editor for booleans');
    const documentation = (label: string) => {
      const doc = items.find((i) => i.label === label)?.documentation;
      return typeof doc === 'string' ? doc : doc?.value;
    };
    assert.match(documentation('checkbox') ?? '', /checkbox/i, 'an editor says what it is for');
    assert.match(documentation('hidden') ?? '', /not shown/i);
  });

  it('completes the keys of an input field and the root keys', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const text = actor.read(INPUT_SCHEMA).replace('"maxLength": 80', '"maxLength": 80, ""');
    await server.open(schema, text);
    const items = await server.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(schema) },
      position: positionOf(text, '80, ""', 5),
    });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('pattern') && labels.includes('minLength'), labels.join(','));
    assert.ok(!labels.includes('maxLength'), 'keys already present are not offered again');
  });

  it('explains a key on hover', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const text = actor.read(INPUT_SCHEMA);
    await server.open(schema, text);
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(schema) },
      position: positionOf(text, '"prefill"', 2),
    });
    assert.ok(hover);
    assert.match(JSON.stringify(hover.contents), /fills the form/);
  });

  it('links the paths in actor.json and goes to their definition', async function () {
    const actorJson = actor.file(ACTOR_JSON);
    const text = actor.read(ACTOR_JSON);
    await server.open(actorJson, text);
    const links = await server.connection.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(actorJson) } });
    const targets = links.map((l) => l.target ?? '');
    assert.ok(targets.some((t) => t.endsWith('/.actor/input_schema.json')), targets.join(','));
    assert.ok(targets.some((t) => t.endsWith('/.actor/dataset_schema.json')), targets.join(','));
    const definition = await server.connection.sendRequest<Location | null>('textDocument/definition', {
      textDocument: { uri: uriOf(actorJson) },
      position: positionOf(text, './output_schema.json', 3),
    });
    assert.ok(definition?.uri.endsWith('/.actor/output_schema.json'));
  });

  it('offers the schemaVersion fix for actorInputSchemaVersion', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    const text = actor.read(INPUT_SCHEMA).replace('"schemaVersion": 1', '"actorInputSchemaVersion": 1');
    await server.open(schema, text);
    await server.waitFor('the actorInputSchemaVersion diagnostic', () =>
      (server.diagnosticsOf(schema) ?? []).some((d) => String(d.code).length > 0 && messageOf(d).includes('actorInputSchemaVersion')),
    );
    const diagnostic = server.diagnosticsOf(schema)!.find((d) => messageOf(d).includes('actorInputSchemaVersion'))!;
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(schema) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    assert.ok(JSON.stringify(actions).includes('schemaVersion'));
  });

  it('leaves JSON syntax errors of open .json documents to VS Code when the client says it reports them', async function () {
    const quiet = new LspProcess();
    try {
      await quiet.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uriOf(actor.root),
        workspaceFolders: [{ uri: uriOf(actor.root), name: 'w' }],
        capabilities: { workspace: { configuration: true } },
        initializationOptions: { clientReportsJsonSyntax: true },
      });
      await quiet.connection.sendNotification('initialized', {});
      await quiet.waitForValidation('the validation of the workspace on start', 0);
      const schema = actor.file(INPUT_SCHEMA);
      const validated = quiet.validationCount;
      await quiet.open(schema, actor.read(INPUT_SCHEMA).replace('"type": "object",', '"type": "object",,'));
      await quiet.waitForValidation('the validation of the broken schema', validated);
      assert.ok(!quiet.diagnosticsOf(schema)!.some((d) => String(d.code).startsWith('json/')), JSON.stringify(quiet.diagnosticsOf(schema)));
    } finally {
      await quiet.stop();
    }
  });

  it('outlines an Actor Definition document, input fields by their titles', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    await server.open(schema, actor.read(INPUT_SCHEMA), 'actor-definition');
    const symbols = await server.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf(schema) } });
    const properties = symbols.find((s) => s.name === 'properties');
    const shout = properties?.children?.find((s) => s.name === 'shout');
    assert.equal(shout?.detail, 'Shout');
    assert.ok(shout?.children?.some((s) => s.name === 'editor' && s.detail === 'checkbox'));
  });

  it('formats an Actor Definition document and leaves plain JSON documents to VS Code', async function () {
    const actorJson = actor.file(ACTOR_JSON);
    const squashed = JSON.stringify(JSON.parse(actor.read(ACTOR_JSON)));
    await server.open(actorJson, squashed, 'actor-definition');
    const edits = await server.connection.sendRequest<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: uriOf(actorJson) },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.ok(edits.length > 5);
    assert.ok(edits.some((e) => e.newText.startsWith('\n  ')), 'indents with two spaces');

    const input = actor.file(INPUT_JSON);
    await server.open(input, '{"names":["Ada"]}', 'json');
    const none = await server.connection.sendRequest<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: uriOf(input) },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(none, []);
  });

  it('survives a document that is not JSON at all', async function () {
    const schema = actor.file(INPUT_SCHEMA);
    await server.open(schema, '\u0000{{{ not json ]]] \uFFFF');
    await server.waitFor('diagnostics of the document that is not JSON', () => (server.diagnosticsOf(schema) ?? []).length > 0);
    assert.ok(server.isAlive);
  });
});
