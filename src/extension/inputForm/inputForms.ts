/** One input form per Actor: opening it again reveals it; VS Code restores open forms after a reload (serializer). */
import * as vscode from 'vscode';
import { InputFormState, TestAction } from '../../webviewProtocols/inputForm';
import { TEST_HOOKS } from '../testHooks';
import { INPUT_FORM_VIEW_TYPE, InputFormPanel, InputFormServices } from './inputFormPanel';

export class InputForms implements vscode.Disposable {
  private readonly open = new Map<string, InputFormPanel>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly services: InputFormServices) {
    this.registrations = [
      vscode.window.registerWebviewPanelSerializer(INPUT_FORM_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: InputFormState | undefined) => {
          // A panel saved before its form ever rendered has no Actor to show.
          if (!state?.actorRoot) return panel.dispose();
          this.track(await InputFormPanel.create(state.actorRoot, this.services, panel, state));
        },
      }),
      vscode.commands.registerCommand(TEST_HOOKS.inputForm, (actorRoot: string, action: TestAction) => {
        const form = this.open.get(actorRoot);
        if (!form) throw new Error(`no input form is open for ${actorRoot}`);
        return form.runTestAction(action);
      }),
    ];
  }

  async show(actorRoot: string): Promise<void> {
    const existing = this.open.get(actorRoot);
    if (existing) return existing.reveal();
    this.track(await InputFormPanel.create(actorRoot, this.services));
  }

  dispose(): void {
    for (const form of this.open.values()) form.dispose();
    for (const registration of this.registrations) registration.dispose();
  }

  private track(form: InputFormPanel): void {
    this.open.set(form.actorRoot, form);
    form.onDidDispose(() => this.open.delete(form.actorRoot));
  }
}
