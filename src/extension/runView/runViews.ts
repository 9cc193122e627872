/**
 * One run view per run: opening it again reveals the panel; VS Code restores open views after a reload
 * (serializer). Opened by Show Run (the run row, the status bar, notifications) and by `vscode://` links the CLI
 * prints (`vscode://greenroom.greenroom/run?actor=<folder>&run=<id>`).
 */
import * as vscode from 'vscode';
import { RunRecord, runName } from '../../engine';
import { RunLocation, RunViewTestAction } from '../../webviewProtocols/runView';
import { ActorEntry } from '../actors/actorRegistry';
import { Services } from '../services/services';
import { TEST_HOOKS } from '../testHooks';
import { builtInActions, RunAction, RunActionProvider } from './runModel';
import { RUN_VIEW_TYPE, RunViewPanel, runViewKey } from './runViewPanel';

export class RunViews implements vscode.Disposable {
  private readonly open = new Map<string, RunViewPanel>();
  private readonly registrations: vscode.Disposable[];
  /** Buttons beyond the built-in ones (Debug…): `addActions` registers a provider. */
  private readonly actionProviders: RunActionProvider[] = [builtInActions];

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.registrations = [
      vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { location?: RunLocation } | undefined) => {
          if (!state?.location) return panel.dispose();
          this.track(this.create(state.location, panel.title, panel));
        },
      }),
      vscode.commands.registerCommand(TEST_HOOKS.runView, (location: RunLocation, action: RunViewTestAction) => {
        const view = this.open.get(runViewKey(location));
        if (!view) throw new Error(`no run view is open for run ${location.runId}`);
        return view.runTestAction(action);
      }),
      vscode.commands.registerCommand(TEST_HOOKS.runViewPaint, (location: RunLocation) => this.open.get(runViewKey(location))?.paintedAt),
    ];
  }

  /** Adds header buttons for every run view (drawn where the provider says they apply). */
  addActions(provider: RunActionProvider): vscode.Disposable {
    this.actionProviders.push(provider);
    return { dispose: () => this.actionProviders.splice(this.actionProviders.indexOf(provider), 1) };
  }

  /** Shows the run's view, revealing it when it is open; resolves with the panel. */
  show(actor: ActorEntry, run: RunRecord): RunViewPanel {
    const location = { actorRoot: actor.root, runId: run.id };
    const existing = this.open.get(runViewKey(location));
    if (existing) {
      existing.reveal();
      return existing;
    }
    const view = this.create(location, `${actor.name} · ${runName(run)}`);
    this.track(view);
    return view;
  }

  get(location: RunLocation): RunViewPanel | undefined {
    return this.open.get(runViewKey(location));
  }

  dispose(): void {
    for (const view of this.open.values()) view.dispose();
    for (const registration of this.registrations) registration.dispose();
  }

  private create(location: RunLocation, title: string, panel?: vscode.WebviewPanel): RunViewPanel {
    const actions = (actor: ActorEntry, run: RunRecord): RunAction[] => this.actionProviders.flatMap((provider) => provider(actor, run));
    return RunViewPanel.create(location, title, this.extensionUri, this.services.registry, actions, panel);
  }

  private track(view: RunViewPanel): void {
    this.open.set(view.key, view);
    view.onDidDispose(() => this.open.delete(view.key));
  }
}
