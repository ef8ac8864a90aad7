/**
 * Workspace Trust on the client's side: tells the server whether the folder is trusted (in the
 * initialization options, then when trust is granted or the user setting changes). The language
 * status says why the analysis is off in Restricted Mode (languageStatus.ts); the server enforces it
 * (server/src/trust.ts).
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

/** The notifications that keep the server up to date (the language status shows Restricted Mode: languageStatus.ts). */
export function registerTrust(context: vscode.ExtensionContext, client: LanguageClient): void {
  const send = () => void client.sendNotification(TrustNotification, currentTrust());
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(send),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`knowledgeNeurons.${ALLOW_OUTSIDE}`)) send();
    }),
  );
}
