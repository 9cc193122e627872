/**
 * Values of `isSecret` fields live in VS Code's secret storage (the OS keychain where there is one), one entry per
 * Actor and field; they reach a run's input and nothing else.
 */
import type * as vscode from 'vscode';
import { InputObject } from '../../form/input';

export class SecretInputs {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly actorRoot: string,
  ) {}

  /** The stored values of these secret fields (those with none are left out). */
  async read(keys: readonly string[]): Promise<InputObject> {
    const values: InputObject = {};
    for (const key of keys) {
      const stored = await this.storage.get(this.entry(key));
      if (stored !== undefined) values[key] = JSON.parse(stored);
    }
    return values;
  }

  async store(key: string, value: unknown): Promise<void> {
    await this.storage.store(this.entry(key), JSON.stringify(value));
  }

  async forget(key: string): Promise<void> {
    await this.storage.delete(this.entry(key));
  }

  private entry(key: string): string {
    return `greenroom.inputSecret:${this.actorRoot}:${key}`;
  }
}
