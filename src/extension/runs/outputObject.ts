/**
 * The run's output object, as the platform builds it from the output schema's templates, but pointing at the
 * run's own local storages: `{{links.apiDefaultDatasetUrl}}/items` becomes the dataset folder,
 * `{{links.apiDefaultKeyValueStoreUrl}}/records/SUMMARY` the record's file. No `vscode` import.
 */
import type { RunRecord } from '../../engine';
import { storageOf, StorageReader } from '../../storage';

export interface OutputSchema {
  properties?: Record<string, { title?: string; template?: string }>;
}

export interface OutputEntry {
  key: string;
  title: string;
  /** The template with its variables filled in. */
  value: string;
  /** The local file or folder the value points at, when it points into the run's storages. */
  localPath?: string;
}

export function resolveOutput(schema: OutputSchema, run: RunRecord): OutputEntry[] {
  const datasetDir = storageOf(run.greenroom.storageDir, 'datasets', run.defaultDatasetId).path;
  const storeDir = storageOf(run.greenroom.storageDir, 'key_value_stores', run.defaultKeyValueStoreId).path;
  const variables: Record<string, string> = {
    'links.apiDefaultDatasetUrl': datasetDir,
    'links.apiDefaultKeyValueStoreUrl': storeDir,
    'links.apiRunUrl': run.id,
    'links.publicRunUrl': run.id,
    'links.consoleRunUrl': run.id,
    'links.containerRunUrl': run.containerUrl ?? '',
    'run.defaultDatasetId': run.defaultDatasetId,
    'run.defaultKeyValueStoreId': run.defaultKeyValueStoreId,
    'run.defaultRequestQueueId': run.defaultRequestQueueId,
    'run.id': run.id,
    'run.containerUrl': run.containerUrl ?? '',
  };
  return Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const value = (property.template ?? '').replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole);
    return { key, title: property.title ?? key, value, localPath: localPathOf(value, run, datasetDir, storeDir) };
  });
}

function localPathOf(value: string, run: RunRecord, datasetDir: string, storeDir: string): string | undefined {
  if (value === datasetDir || value.startsWith(`${datasetDir}/items`)) return datasetDir;
  const key = value.startsWith(`${storeDir}/records/`) ? value.slice(`${storeDir}/records/`.length).split(/[?/]/)[0] : undefined;
  if (key !== undefined) {
    // Either SDK's naming (with or without an extension); links an Actor planted are not records.
    try {
      return new StorageReader(run.greenroom.storageDir).keyValueRecords(run.defaultKeyValueStoreId).find((record) => record.key === key)?.file;
    } catch {
      return undefined;
    }
  }
  return value === storeDir ? storeDir : undefined;
}
