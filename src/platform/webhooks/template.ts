/**
 * Webhook payload and headers templates, as the platform reads them (docs/platform.md#webhooks): JSON extended with
 * `{{variable}}` (a dotted path into the variables, e.g. `{{resource.defaultDatasetId}}`) in place of a value, which
 * becomes the value's JSON (`null` when the path names nothing). With `shouldInterpolateStrings`, a `{{variable}}`
 * inside a string is replaced too (a string as it is, anything else as its JSON). The result must be valid JSON.
 */

/** The platform's default payload. */
export const DEFAULT_PAYLOAD_TEMPLATE = `{
    "userId": {{userId}},
    "createdAt": {{createdAt}},
    "eventType": {{eventType}},
    "eventData": {{eventData}},
    "resource": {{resource}}
}`;

export class WebhookTemplateError extends Error {
  name = 'WebhookTemplateError';
}

const VARIABLE = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/g;

/** The payload a template gives for these variables, as JSON text; a WebhookTemplateError says what is wrong. */
export function renderTemplate(template: string, variables: Record<string, unknown>, options: { interpolateStrings?: boolean; what?: string } = {}): string {
  const what = options.what ?? 'payload template';
  let out = '';
  let inString = false;
  let stringStart = 0;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (inString) {
      if (char === '\\') {
        i++;
        continue;
      }
      if (char === '"') {
        const literal = template.slice(stringStart, i + 1);
        out += options.interpolateStrings ? interpolateString(literal, variables) : literal;
        inString = false;
      }
      continue;
    }
    if (char === '"') {
      inString = true;
      stringStart = i;
      continue;
    }
    if (char === '{' && template[i + 1] === '{') {
      const end = template.indexOf('}}', i + 2);
      if (end < 0) throw new WebhookTemplateError(`The ${what} has a "{{" without its "}}" at character ${i + 1}`);
      const path = template.slice(i + 2, end).trim();
      if (!/^[A-Za-z_$][\w$]*(?:\.[\w$]+)*$/.test(path)) throw new WebhookTemplateError(`The ${what} names no variable in "{{${path}}}" at character ${i + 1}`);
      out += JSON.stringify(lookup(variables, path) ?? null);
      i = end + 1;
      continue;
    }
    out += char;
  }
  if (inString) throw new WebhookTemplateError(`The ${what} has a string that never ends`);
  try {
    JSON.parse(out);
  } catch (error) {
    throw new WebhookTemplateError(`The ${what} does not give valid JSON once its variables are filled in: ${(error as Error).message}`);
  }
  return out;
}

/** A headers template's headers: a JSON object whose values become header values (strings as they are). */
export function renderHeaders(template: string, variables: Record<string, unknown>, options: { interpolateStrings?: boolean } = {}): Record<string, string> {
  const parsed = JSON.parse(renderTemplate(template, variables, { ...options, what: 'headers template' })) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WebhookTemplateError('The headers template must give a JSON object of headers');
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}

function interpolateString(literal: string, variables: Record<string, unknown>): string {
  const text = JSON.parse(literal) as string;
  const replaced = text.replace(VARIABLE, (_match, path: string) => {
    const value = lookup(variables, path);
    return typeof value === 'string' ? value : JSON.stringify(value ?? null);
  });
  return JSON.stringify(replaced);
}

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
