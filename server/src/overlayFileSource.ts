import * as fs from 'node:fs';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { FileSource } from '../../src/validator/types';

/** The disk as the validator sees it, with the editor's unsaved documents laid over it. */
export class OverlayFileSource implements FileSource {
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  openDocument(absolutePath: string): TextDocument | undefined {
    return this.documents.get(URI.file(absolutePath).toString());
  }

  readFile(absolutePath: string): string | undefined {
    const open = this.openDocument(absolutePath);
    if (open) return open.getText();
    try {
      return fs.readFileSync(absolutePath, 'utf8');
    } catch {
      return undefined;
    }
  }

  exists(absolutePath: string): boolean {
    return this.openDocument(absolutePath) !== undefined || fs.existsSync(absolutePath);
  }

  isDirectory(absolutePath: string): boolean {
    try {
      return fs.statSync(absolutePath).isDirectory();
    } catch {
      return false;
    }
  }

  listDirectory(absolutePath: string): string[] {
    try {
      return fs.readdirSync(absolutePath);
    } catch {
      return [];
    }
  }
}
