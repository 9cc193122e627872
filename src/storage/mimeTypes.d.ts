// The part of mime-types (the table Crawlee's local storage names record files with) that the storage library uses.
declare module 'mime-types' {
  /** The default extension of a content type (parameters ignored), or false when it has none. */
  export function extension(type: string): string | false;
  /** The full content type of an extension or file name (`json` → `application/json; charset=utf-8`), or false. */
  export function contentType(extensionOrType: string): string | false;
  /** The bare content type of an extension or file name, or false. */
  export function lookup(pathOrExtension: string): string | false;
}
