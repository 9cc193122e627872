/**
 * The platform's own evaluator of `defaultMemoryMbytes` memory expressions. With mathjs it is ~2.5 MB, so it is a
 * bundle of its own (dist/memoryExpression.js, kept external by scripts/build.mjs) that memory.ts loads only for an
 * Actor that declares a default; under tsc's output (out/) the same relative path finds this file's .js.
 */
export { calculateRunDynamicMemory } from '@apify/actor-memory-expression';
