import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { apiSnippet } from '../../../src/form/snippets';

const input = { names: ["O'Brien", 'Ada'], nested: { ok: true, none: null, n: 1.5 }, text: 'line\n"quoted"' };

describe('API snippets', () => {
  it('curl: posts the input to the Actor\'s runs endpoint, with shell quoting that survives apostrophes', () => {
    const snippet = apiSnippet('curl', 'hello-actor', input);
    assert.ok(snippet.includes("https://api.apify.com/v2/acts/<YOUR_USERNAME>~hello-actor/runs"));
    const body = /-d '([\s\S]*)'$/.exec(snippet)![1];
    // What the shell hands to curl: undo the '\'' escapes.
    assert.deepStrictEqual(JSON.parse(body.replace(/'\\''/g, "'")), input);
  });

  it('JavaScript: calls the Actor with the input as an object literal', () => {
    const snippet = apiSnippet('javascript', 'hello-actor', input);
    assert.ok(snippet.includes(`client.actor("<YOUR_USERNAME>/hello-actor").call(input)`));
    const literal = /const input = ([\s\S]*?);\nconst run/.exec(snippet)![1];
    assert.deepStrictEqual(JSON.parse(literal), input);
  });

  it('Python: a dict literal Python reads back as the same input', function () {
    const snippet = apiSnippet('python', 'hello-actor', input);
    const literal = /run_input = ([\s\S]*?)\nrun = /.exec(snippet)![1];
    let python: string;
    try {
      python = execFileSync('python3', ['-c', `import json,sys; print(json.dumps(${literal}))`], { encoding: 'utf8' });
    } catch {
      return this.skip(); // no python3 on this machine
    }
    assert.deepStrictEqual(JSON.parse(python), input);
    assert.ok(snippet.includes('.call(run_input=run_input)'));
  });
});
