/** Actor: Abort Immediately — kills the container at once (see abort.ts for the graceful one). */
import * as vscode from 'vscode';
import { Services } from '../../services/services';
import { registerAbort } from './abort';

export function registerAbortImmediately(services: Services): vscode.Disposable {
  return registerAbort(services, false);
}
