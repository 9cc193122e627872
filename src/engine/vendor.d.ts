// tar-fs ships without types; only the part of its API the build context uses.
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';
  interface TarHeader {
    name: string;
    mode?: number;
    size?: number;
  }
  interface PackStream extends Readable {
    entry(header: TarHeader, content: Buffer | string): void;
    finalize(): void;
  }
  export function pack(
    dir: string,
    opts?: {
      ignore?: (name: string) => boolean;
      map?: (header: TarHeader) => TarHeader;
      finalize?: boolean;
      finish?: (pack: PackStream) => void;
    },
  ): PackStream;
}
