import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspProcess, REPO_ROOT, uriOf } from './lspProcess';
import { copyExampleActor } from './workspace';

const EDITS = Number(process.env.GREENROOM_FUZZ_EDITS ?? 3000);
const CORPUS = process.env.GREENROOM_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** Tokens that make interesting JSON damage: structure, keys the validator cares about, odd values. */
const TOKENS = ['{', '}', '[', ']', '"', ',', ':', 'null', 'true', '-1', '1e999', '""', '"editor"', '"type"', '"array"',
  '"properties"', '"required"', '"select"', '"enum": []', '"default": null', '"pattern": "("', '// c', '/*', '\\u0000', '😀', '\n'];

/** Small deterministic PRNG (mulberry32) so a failure reproduces from its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const span = 1 + Math.floor(next() * 24);
  switch (Math.floor(next() * 4)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at, at + span) + text.slice(at);
    default: {
      const other = Math.floor(next() * (text.length + 1));
      return text.slice(0, at) + text.slice(other, other + span) + text.slice(at + span);
    }
  }
}

/** Real input schemas to start from: the example's and, when present, the corpus's. */
function seedSchemas(exampleSchema: string): string[] {
  const seeds = [exampleSchema];
  if (!fs.existsSync(CORPUS)) return seeds;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/input_schema\.json$/i.test(entry.name) && seeds.length < 12) seeds.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(CORPUS);
  return seeds;
}

describe('language server fuzzing', function () {
  this.timeout(300_000);

  it(`stays up and responsive through ${EDITS} random edits of real definition files`, async function () {
    const actor = copyExampleActor();
    const server = new LspProcess();
    try {
      await server.initialize(actor.root);
      const files = ['.actor/input_schema.json', '.actor/actor.json', '.actor/dataset_schema.json', '.actor/output_schema.json',
        'storage/key_value_stores/default/INPUT.json'].map((f) => actor.file(f));
      const seeds = seedSchemas(actor.read('.actor/input_schema.json'));
      const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
      const versions = new Map(files.map((f) => [f, 1]));
      for (const file of files) await server.open(file, texts.get(file)!);

      const next = random(20261123);
      for (let edit = 0; edit < EDITS; edit++) {
        const file = files[Math.floor(next() * files.length)];
        // Now and then start over from a pristine real schema, so edits keep exploring near-valid files.
        const restart = file.endsWith('input_schema.json') && next() < 0.05;
        const text = restart ? seeds[Math.floor(next() * seeds.length)] : mutate(texts.get(file)!, next);
        texts.set(file, text);
        versions.set(file, versions.get(file)! + 1);
        // Every edit gets its own validation (no debounce merging); a hang shows up as a timeout here.
        const validations = server.validationCount;
        await server.change(file, text, versions.get(file)!);
        await server.waitForValidation(`a validation after edit ${edit}`, validations);
        if (edit % 10 === 9) {
          // Completion and hover must answer on whatever text the edits left behind.
          const position = { line: Math.floor(next() * 30), character: Math.floor(next() * 20) };
          await Promise.all([
            server.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position }),
            server.connection.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(file) }, position }),
          ]);
        }
      }
      assert.ok(server.isAlive, `server died; stderr:\n${server.stderr}`);
      assert.doesNotMatch(server.stderr, /internal error|TypeError|RangeError/i);
    } finally {
      await server.stop();
      actor.dispose();
    }
  });
});
