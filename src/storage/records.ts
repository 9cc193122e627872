/**
 * Key-value records by content type, in the JS SDK's layout (docs/run-environment.md#local-storage-layout), so
 * `apify run`, Crawlee and Greenroom's trees read back what the local platform writes:
 *
 *   <key>.<ext>                 the value; <ext> is the one mime-types (Crawlee's table) gives the content type, `bin`
 *                               when it has none
 *   <key>.__metadata__.json     {key, contentType}, only when the extension does not give the content type back
 *                               exactly (`application/json` without its charset, `x/unknown`)
 *
 * Reading: a record's content type is its metadata's, else the extension's (`json` → `application/json;
 * charset=utf-8`); Python's bare `<key>` files carry theirs in the same metadata file name (snake_case).
 */
import mime from 'mime-types';
import type { StorageFolder } from './files';

/** Most bytes of a metadata file read (they hold a few fields). */
const MAX_METADATA_BYTES = 1024 * 1024;
const OCTET_STREAM = 'application/octet-stream';

/** The file a record of `contentType` is written as. */
export function recordFileName(key: string, contentType: string): string {
  return `${key}.${mime.extension(contentType) || 'bin'}`;
}

/** Content types shown as text (never rendered: HTML is text too, so nothing an Actor wrote runs). */
const TEXT_TYPE = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|ecmascript|x-ndjson|jsonl?|yaml|x-yaml|toml|csv|x-sh|sql|graphql)\b)/i;

/** Records over this size are not previewed (an editor or image preview holds the whole file): they are saved as a stream instead. */
export const MAX_PREVIEW_BYTES = 50 * 1024 * 1024;

export type RecordPreview = 'text' | 'image' | 'binary' | 'too-large';

/** How a record is shown: text in a read-only editor, images in an image preview, anything else only saved. */
export function recordPreview(contentType: string, size: number): RecordPreview {
  const kind = /^image\//i.test(contentType) ? 'image' : TEXT_TYPE.test(contentType) ? 'text' : 'binary';
  return kind !== 'binary' && size > MAX_PREVIEW_BYTES ? 'too-large' : kind;
}

/** The record metadata file of a key (JS) or of a bare file (Python): the same name, `<key>.__metadata__.json`. */
export function recordMetadataName(keyOrFile: string): string {
  return `${keyOrFile}.__metadata__.json`;
}

/** The content type a record file's extension stands for. */
export function contentTypeOfFile(name: string): string {
  const ext = extensionOf(name);
  return (ext && mime.contentType(ext)) || OCTET_STREAM;
}

/** The key of a record file without metadata: the name less an extension mime-types knows. */
export function keyOfFile(name: string): string {
  const ext = extensionOf(name);
  return ext && mime.lookup(ext) ? name.slice(0, -ext.length - 1) : name;
}

/** Whether a record written as `name` needs a metadata file to give `contentType` back. */
export function needsMetadata(name: string, contentType: string): boolean {
  return contentTypeOfFile(name) !== contentType;
}

/**
 * The metadata of a record file: `<file>.__metadata__.json` (Python's bare keys) or `<key>.__metadata__.json` (JS,
 * with DEBUG=* or written here). Unreadable metadata is ignored: the file itself still is the record.
 */
export function readRecordMetadata(store: StorageFolder, file: string): { key?: string; contentType?: string } | undefined {
  for (const name of new Set([recordMetadataName(file), recordMetadataName(keyOfFile(file))])) {
    try {
      if (!store.entry(name)) continue;
      const meta = JSON.parse(store.readText(name, MAX_METADATA_BYTES)) as Record<string, unknown>;
      const key = typeof meta.key === 'string' ? meta.key : undefined;
      // A JS metadata file names its key: it belongs to this file only when the key matches.
      if (name !== recordMetadataName(file) && key !== undefined && key !== keyOfFile(file)) continue;
      const contentType = meta.content_type ?? meta.contentType;
      return { key, contentType: typeof contentType === 'string' ? contentType : undefined };
    } catch {
      continue;
    }
  }
  return undefined;
}

function extensionOf(name: string): string | undefined {
  return /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
}
