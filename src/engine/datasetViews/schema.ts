/**
 * The views of the Actor's dataset schema (docs/file-formats.md#dataset-schema). Which file (or inline object in actor.json) is the dataset
 * schema is the validator's business (actorReferences), so the viewer and the editor always agree; whether the
 * schema is valid is the validator's verdict too: here views are read leniently and only unreadable JSON throws.
 */
import { readFileSync } from 'node:fs';
import { actorJsonPath, actorReferences, ActorReference, diskFileSource } from '../../validator/files';
import { isPlainObject } from '../../validator/json';
import { DatasetView, DISPLAY_FORMATS, DisplayFormat, ViewTransformation } from './types';

export function readDatasetViews(actorRoot: string): DatasetView[] {
  const actorJson = actorJsonPath(actorRoot);
  // A legacy apify.json Actor (or no Actor) has no dataset schema.
  if (!diskFileSource.exists(actorJson)) return [];
  const reference = defaultDatasetReference(actorReferences(actorRoot, parseJsonFile(actorJson, 'actor.json'), diskFileSource, false));
  if (!reference) return [];
  const schema = reference.inline ?? parseJsonFile(reference.path!, 'dataset schema');
  const views = isPlainObject(schema) && isPlainObject(schema.views) ? schema.views : {};
  return Object.entries(views).flatMap(([id, view]) => (isPlainObject(view) ? [toView(id, view)] : []));
}

/** The view `id` of the Actor's dataset schema; the error says which views there are. */
export function readDatasetView(actorRoot: string, id: string): DatasetView {
  const views = readDatasetViews(actorRoot);
  const view = views.find((candidate) => candidate.id === id);
  if (view) return view;
  throw new Error(
    views.length
      ? `The dataset schema has no view "${id}" (its views: ${views.map((candidate) => candidate.id).join(', ')})`
      : `The Actor in ${actorRoot} has no dataset schema views, so there is no view "${id}"`,
  );
}

/** `storages.dataset`, else the `default` alias of `storages.datasets`, else its first alias. */
function defaultDatasetReference(references: ActorReference[]): ActorReference | undefined {
  const datasets = references.filter((reference) => reference.role === 'dataset');
  return datasets.find((reference) => !reference.alias) ?? datasets.find((reference) => reference.alias === 'default') ?? datasets[0];
}

function parseJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`The ${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function toView(id: string, view: Record<string, unknown>): DatasetView {
  const display = isPlainObject(view.display) ? view.display : {};
  const properties: DatasetView['properties'] = {};
  for (const [key, property] of Object.entries(isPlainObject(display.properties) ? display.properties : {})) {
    if (!isPlainObject(property)) continue;
    properties[key] = {
      ...(typeof property.label === 'string' ? { label: property.label } : {}),
      ...(isDisplayFormat(property.format) ? { format: property.format } : {}),
    };
  }
  return {
    id,
    title: typeof view.title === 'string' && view.title ? view.title : id,
    transformation: toTransformation(isPlainObject(view.transformation) ? view.transformation : {}),
    component: display.component === 'grid' ? 'grid' : 'table',
    properties,
  };
}

const LIST_KEYS = ['fields', 'omit', 'unwind', 'flatten'] as const;
const FLAG_KEYS = ['clean', 'desc', 'skipHidden', 'skipEmpty'] as const;

function toTransformation(raw: Record<string, unknown>): ViewTransformation {
  const transformation: ViewTransformation = {};
  for (const key of LIST_KEYS) {
    const value = raw[key];
    if (Array.isArray(value)) transformation[key] = value.filter((name): name is string => typeof name === 'string');
  }
  for (const key of FLAG_KEYS) if (typeof raw[key] === 'boolean') transformation[key] = raw[key] as boolean;
  if (typeof raw.limit === 'number' && Number.isInteger(raw.limit) && raw.limit >= 0) transformation.limit = raw.limit;
  return transformation;
}

function isDisplayFormat(value: unknown): value is DisplayFormat {
  return (DISPLAY_FORMATS as readonly unknown[]).includes(value);
}
