/**
 * "Open the Examples" (the walkthrough's first step): copies the packaged example `.prompts` files
 * and the two small models they name into the workspace (or a folder the user picks), keeping
 * their relative `@model ../models/…` paths and staying inside the workspace, then opens one.
 * Nothing is overwritten: an existing copy is opened as it is.
 */
import * as vscode from 'vscode';

const FOLDER = 'knowledge-neurons-examples';
const MODELS = ['bert-tiny-facts', 'llama-stories260k'];

export async function openExamples(extensionUri: vscode.Uri): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const pick = await vscode.window.showQuickPick(
    [
      ...(workspace ? [{ label: `$(folder) Into this workspace`, description: `${FOLDER}/`, id: 'workspace' as const }] : []),
      { label: '$(folder-opened) Into another folder…', description: 'and open that folder', id: 'other' as const },
    ],
    { title: 'Knowledge Neurons: copy the examples and their models' },
  );
  if (!pick) return;
  let parent = workspace;
  if (pick.id === 'other') {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Copy the examples here',
    });
    if (!chosen?.length) return;
    parent = chosen[0];
  }
  if (!parent) return;
  const dest = vscode.Uri.joinPath(parent, FOLDER);
  const copy = async (from: string[], to: string[]) => {
    const target = vscode.Uri.joinPath(dest, ...to);
    if (await exists(target)) return;
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(extensionUri, ...from), target, { overwrite: false });
  };
  await copy(['examples'], ['examples']);
  for (const m of MODELS) await copy(['models', m], ['models', m]);
  const first = vscode.Uri.joinPath(dest, 'examples', 'capitals.prompts');
  if (pick.id === 'other') await vscode.commands.executeCommand('vscode.openFolder', dest, { forceNewWindow: false });
  else await vscode.window.showTextDocument(first, { preview: false });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
