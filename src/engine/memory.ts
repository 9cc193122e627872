/**
 * A run's memory as the platform decides it: a power of two (MB) between the platform's 128 and 32768 and within
 * actor.json `minMemoryMbytes`–`maxMemoryMbytes`. A run that asks for none gets actor.json `defaultMemoryMbytes`
 * (a number or a memory expression over the input and run options, evaluated by the platform's own
 * @apify/actor-memory-expression, which rounds to a power of two), else 1024, clamped into that range — what
 * `apify actor calculate-memory` computes.
 */
import type { ActorDefinition } from './actorDefinition';
import { ActorDefinitionError } from './actorDefinition';

export const PLATFORM_MIN_MEMORY_MBYTES = 128;
export const PLATFORM_MAX_MEMORY_MBYTES = 32768;
export const DEFAULT_MEMORY_MBYTES = 1024;

/** The memory sizes a run of this Actor may have, smallest first; actor.json may narrow the platform's range. */
export interface MemoryRange {
  choices: number[];
  /** How the range reads in a message, e.g. `between 256 and 4096 MB (actor.json minMemoryMbytes–maxMemoryMbytes)`. */
  description: string;
}

/** The run options a memory expression may read (`{{runOptions.timeoutSecs}}`). */
export interface MemoryExpressionRunOptions {
  build?: string;
  timeoutSecs?: number;
  maxItems?: number;
}

export function memoryRange(definition: Pick<ActorDefinition, 'memory'>): MemoryRange {
  const { minMbytes, maxMbytes } = definition.memory;
  const min = Math.max(PLATFORM_MIN_MEMORY_MBYTES, minMbytes ?? PLATFORM_MIN_MEMORY_MBYTES);
  const max = Math.min(PLATFORM_MAX_MEMORY_MBYTES, maxMbytes ?? PLATFORM_MAX_MEMORY_MBYTES);
  const choices: number[] = [];
  for (let mb = PLATFORM_MIN_MEMORY_MBYTES; mb <= PLATFORM_MAX_MEMORY_MBYTES; mb *= 2) if (mb >= min && mb <= max) choices.push(mb);
  const source =
    minMbytes !== undefined && maxMbytes !== undefined
      ? ' (actor.json minMemoryMbytes–maxMemoryMbytes)'
      : minMbytes !== undefined
        ? ' (actor.json minMemoryMbytes)'
        : maxMbytes !== undefined
          ? ' (actor.json maxMemoryMbytes)'
          : '';
  return { choices, description: `a power of two between ${min} and ${max} MB${source}` };
}

/**
 * The memory of a run that asks for none. Throws ActorDefinitionError when the expression cannot be evaluated or
 * actor.json's range holds no power of two.
 */
export async function defaultMemoryMbytes(definition: Pick<ActorDefinition, 'memory'>, input: unknown, runOptions: MemoryExpressionRunOptions): Promise<number> {
  const { choices, description } = memoryRange(definition);
  if (!choices.length) throw new ActorDefinitionError(`actor.json allows no run memory: it must be ${description}`);
  const declared = definition.memory.defaultMbytes;
  let memory = DEFAULT_MEMORY_MBYTES;
  if (declared !== undefined) {
    // A bundle of its own, loaded only now (see memoryExpression.ts).
    const { calculateRunDynamicMemory } = require('./memoryExpression.js') as typeof import('./memoryExpression');
    const inputObject = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    try {
      memory = await calculateRunDynamicMemory(String(declared), { input: inputObject, runOptions });
    } catch (error) {
      throw new ActorDefinitionError(`actor.json "defaultMemoryMbytes" (${JSON.stringify(declared)}) cannot be evaluated: ${(error as Error).message}`);
    }
  }
  return Math.min(Math.max(memory, choices[0]), choices[choices.length - 1]);
}
