/**
 * The `.prompts` language status items (the `{}` entry beside the language mode): the model and
 * its device (opens Select Model), and the state: ready, running n of m, loading, error, or
 * Restricted Mode (opens the output, or Workspace Trust). Each file shows its own model's status.
 * This is the one home of the extension's status; the texts come from statusView.ts.
 */
import * as vscode from 'vscode';
import { ClientCommands, StatusParams } from '../../protocol/lsp';
import { StatusSeverity, statusView } from './statusView';

const SEVERITY: Record<StatusSeverity, vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/** The items, and `update` for each status the server sends (with a uri: that file's). */
export function registerLanguageStatus(context: vscode.ExtensionContext): { update(s: StatusParams): void } {
  const selector = { language: 'prompts' };
  const model = vscode.languages.createLanguageStatusItem('knowledgeNeurons.model', selector);
  model.name = 'Knowledge Neurons: model';
  model.command = { title: 'Select Model', command: ClientCommands.selectModel };
  const state = vscode.languages.createLanguageStatusItem('knowledgeNeurons.state', selector);
  state.name = 'Knowledge Neurons: state';

  let last: StatusParams = { model: '', device: '', state: 'idle' };
  const byUri = new Map<string, StatusParams>();
  const render = () => {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const v = statusView((active && byUri.get(active)) || last, vscode.workspace.isTrusted);
    model.text = v.model.text;
    model.detail = v.model.detail;
    state.text = v.state.text;
    state.detail = v.state.detail;
    state.severity = SEVERITY[v.state.severity];
    state.busy = v.state.busy;
    state.command =
      v.state.opens === 'trust'
        ? { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }
        : { title: 'Show Output', command: ClientCommands.showOutput };
  };
  context.subscriptions.push(model, state, vscode.window.onDidChangeActiveTextEditor(render), vscode.workspace.onDidGrantWorkspaceTrust(render));
  render();
  return {
    update(s) {
      if (s.uri) byUri.set(s.uri, s);
      else last = s;
      render();
    },
  };
}
