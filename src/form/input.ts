/**
 * The input object behind the form: what fills it, what leaves it, and how secrets are kept apart.
 * Values are plain JSON values keyed by field, exactly as they appear in INPUT.json.
 */
import { FormModel, formFields } from './model';

export type InputObject = Record<string, unknown>;

/** The form's starting values when the Actor has no saved input: every field's `prefill` (defaults stay unset). */
export function prefillInput(model: FormModel): InputObject {
  const input: InputObject = {};
  for (const field of formFields(model)) {
    if (field.prefill !== undefined && !field.secret) input[field.key] = structuredClone(field.prefill);
  }
  return input;
}

/** Keys the form owns: the schema's fields. Anything else in INPUT.json belongs to the user and is left alone. */
export function schemaKeys(model: FormModel): string[] {
  return formFields(model).map((field) => field.key);
}

/** Drops what an empty editor leaves behind, so an untouched field stays out of the input (its default applies). */
export function cleanInput(input: InputObject): InputObject {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== ''));
}

/** Splits secret fields off: the public part may be written to disk, the secret part only goes into a run. */
export function splitSecrets(model: FormModel, input: InputObject): { publicInput: InputObject; secrets: InputObject } {
  const secretKeys = new Set(formFields(model).filter((field) => field.secret).map((field) => field.key));
  const publicInput: InputObject = {};
  const secrets: InputObject = {};
  for (const [key, value] of Object.entries(input)) (secretKeys.has(key) ? secrets : publicInput)[key] = value;
  return { publicInput, secrets };
}

/** Text that stands for a secret wherever the input is shown or copied (snippets, clipboard). */
export const SECRET_PLACEHOLDER = '<secret: set it in Apify Console>';

/** The input with every secret value replaced by SECRET_PLACEHOLDER. */
export function maskSecrets(model: FormModel, input: InputObject): InputObject {
  const { publicInput, secrets } = splitSecrets(model, input);
  const masked: InputObject = { ...publicInput };
  for (const key of Object.keys(secrets)) masked[key] = SECRET_PLACEHOLDER;
  // Keep the schema's order rather than "public first, secrets last".
  return Object.fromEntries(Object.keys(input).map((key) => [key, masked[key]]));
}
