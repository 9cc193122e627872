/** Wording shared by all rules, so every message names things the same way. */

/** `"name"` — how keys and values are quoted in messages. */
export function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

/** "a", "a or b", "a, b or c". */
export function listOr(items: readonly unknown[]): string {
  return list(items, 'or');
}

/** "a", "a and b", "a, b and c". */
export function listAnd(items: readonly unknown[]): string {
  return list(items, 'and');
}

function list(items: readonly unknown[], conjunction: string): string {
  const quoted = items.map(quote);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** JSON type name of a value, as people say it ("an array", "null", …). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

const ARTICLES: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', object: 'an object', array: 'an array', null: 'null',
};

/** "a string", "a string or null" for an ajv `type` param. */
export function expectedType(type: string | string[]): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => ARTICLES[t] ?? t).join(' or ');
}

/** Dotted path as people read it: `properties.maxItems.editor`, `items[0]`. */
export function dotted(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number' || /^\d+$/.test(String(segment))) return `${text}[${segment}]`;
    return text ? `${text}.${segment}` : String(segment);
  }, '');
}

/** Closest known spelling, when it is close enough to be a typo. */
export function suggestSpelling(word: string, candidates: Iterable<string>): string | undefined {
  const [best] = closestSpellings(word, candidates, 1);
  const tolerance = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  return best !== undefined && best !== word && distance(word, best) <= tolerance ? best : undefined;
}

/** The `count` candidates nearest to `word` by edit distance (case-insensitive), nearest first. */
export function closestSpellings(word: string, candidates: Iterable<string>, count: number): string[] {
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: distance(word, candidate) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

function distance(word: string, candidate: string): number {
  return candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
