/** API snippets that start the same input on the platform: curl, the JavaScript and the Python API clients. */
import { InputObject } from './input';

export type SnippetLanguage = 'curl' | 'javascript' | 'python';

/**
 * `actorName` is the name from actor.json; the platform addresses an Actor as `<username>/<name>`, and the
 * username is not known locally, so it stays a placeholder for the person to fill in.
 */
export function apiSnippet(language: SnippetLanguage, actorName: string, input: InputObject): string {
  const actorId = `<YOUR_USERNAME>/${actorName}`;
  switch (language) {
    case 'curl': {
      const body = JSON.stringify(input, null, 2).replace(/'/g, `'\\''`);
      return [
        `curl -X POST 'https://api.apify.com/v2/acts/${actorId.replace('/', '~')}/runs' \\`,
        `  -H "Authorization: Bearer $APIFY_TOKEN" \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d '${body}'`,
      ].join('\n');
    }
    case 'javascript':
      return [
        `import { ApifyClient } from 'apify-client';`,
        ``,
        `const client = new ApifyClient({ token: process.env.APIFY_TOKEN });`,
        `const input = ${JSON.stringify(input, null, 2)};`,
        `const run = await client.actor(${JSON.stringify(actorId)}).call(input);`,
        `const { items } = await client.dataset(run.defaultDatasetId).listItems();`,
        `console.log(items);`,
      ].join('\n');
    case 'python':
      return [
        `import os`,
        ``,
        `from apify_client import ApifyClient`,
        ``,
        `client = ApifyClient(os.environ["APIFY_TOKEN"])`,
        `run_input = ${pythonLiteral(input, '')}`,
        `run = client.actor(${JSON.stringify(actorId)}).call(run_input=run_input)`,
        `for item in client.dataset(run["defaultDatasetId"]).iterate_items():`,
        `    print(item)`,
      ].join('\n');
  }
}

/**
 * A JSON value as a Python literal. JSON's string escapes are all valid in Python, so strings keep JSON's quoting;
 * only true/false/null and the layout differ.
 */
function pythonLiteral(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '    ';
  const entries = Array.isArray(value)
    ? value.map((item) => inner + pythonLiteral(item, inner))
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return entries.length === 0 ? open + close : `${open}\n${entries.join(',\n')},\n${indent}${close}`;
}
