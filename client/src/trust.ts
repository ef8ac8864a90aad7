/**
 * Workspace Trust on the client's side: tells the server whether the folder is trusted (in the
 * initialization options, then when trust is granted or the user setting changes), and shows a
 * status item that says why the analysis is off in Restricted Mode. The server enforces it (server/src/trust.ts).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrustNotification, TrustParams } from '../../protocol/lsp';

const ALLOW_OUTSIDE = 'allowModelsOutsideWorkspace';

/** The trust state now, for `initializationOptions.trust`. */
export function currentTrust(): TrustParams {
  // Application scope: only the user's own settings can set it, never a workspace.
  const allow = vscode.workspace.getConfiguration('knowledgeNeurons').inspect<boolean>(ALLOW_OUTSIDE)?.globalValue === true;
  return { trusted: vscode.workspace.isTrusted, allowModelsOutsideWorkspace: allow };
}

/** The Restricted Mode status item, and the notifications that keep the server up to date. */
export function registerTrust(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('knowledgeNeurons.trust', vscode.StatusBarAlignment.Right, 101);
  item.name = 'Knowledge Neurons: Restricted Mode';
  item.text = '$(shield) Knowledge Neurons: analysis off';
  item.tooltip = new vscode.MarkdownString(
    '**Knowledge Neurons: Restricted Mode**\n\nThis folder is not trusted, so only syntax features run: no model is loaded, ' +
      'nothing outside the folder is read and nothing is downloaded.\n\n_Click to manage Workspace Trust; trusting the folder starts the analysis._',
  );
  item.command = 'workbench.trust.manage';
  item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  const render = () => {
    const editor = vscode.window.activeTextEditor;
    if (!vscode.workspace.isTrusted && editor?.document.languageId === 'prompts') item.show();
    else item.hide();
  };
  const send = () => void client.sendNotification(TrustNotification, currentTrust());
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(render),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      render();
      send();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`knowledgeNeurons.${ALLOW_OUTSIDE}`)) send();
    }),
  );
  render();
}
