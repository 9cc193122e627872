/**
 * The forms an Actor is named by in `Actor.call()` and the API: `name`, `username/name`, `username~name` (the
 * form used in API paths). Locally there are no accounts, so the username part is accepted and not checked.
 */
import type { WorkspaceActor } from './actor';

export class ActorNameError extends Error {
  name = 'ActorNameError';
}

export interface ActorNameReference {
  username?: string;
  name: string;
}

/** Splits `name`, `username/name` or `username~name`; anything else is an ActorNameError saying why. */
export function parseActorName(reference: string): ActorNameReference {
  const parts = reference.trim().split(/[/~]/);
  if (parts.length > 2) throw new ActorNameError(`"${reference}" is not an Actor name: expected name, username/name or username~name`);
  const [username, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (!name) throw new ActorNameError(`"${reference}" has no Actor name${parts.length === 2 ? ` after "${username}"` : ''}`);
  if (username === '') throw new ActorNameError(`"${reference}" has no username before the Actor name`);
  return username === undefined ? { name } : { username, name };
}

/** The Actor `reference` names among `actors`: undefined when none has that name, an ActorNameError when several do. */
export function findActorByName(actors: readonly WorkspaceActor[], reference: string): WorkspaceActor | undefined {
  const { name } = parseActorName(reference);
  const matches = actors.filter((actor) => actor.name === name);
  if (matches.length > 1) {
    throw new ActorNameError(`Several Actors of the workspace are named "${name}": ${matches.map((actor) => actor.root).join(', ')}`);
  }
  return matches[0];
}
