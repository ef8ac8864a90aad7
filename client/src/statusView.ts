/**
 * What the language status items of a `.prompts` file show (client/src/languageStatus.ts), from the
 * server's status and the workspace's trust. No `vscode` import, so the tests can load it. The model
 * name comes from a `@model` line and the message from the engine: text from the workspace, so a
 * `$(icon)` in it is escaped and shows as written, never as an icon.
 */
import type { StatusParams } from '../../protocol/lsp';

export type StatusSeverity = 'information' | 'warning' | 'error';

export interface LanguageStatusView {
  /** The model item: its name and device; it opens Select Model. */
  model: { text: string; detail: string };
  /** The state item: ready / running n of m / loading / error / Restricted Mode; it opens the output, or Workspace Trust when restricted. */
  state: { text: string; detail: string; severity: StatusSeverity; busy: boolean; opens: 'output' | 'trust' };
}

/** Text that renders as exactly itself (on one line) where VS Code renders `$(name)` as an icon. */
export function escapeIcons(text: string): string {
  // an icon, escaped or not, gets one more backslash: `$(x)` shows as `$(x)`, `\$(x)` as `\$(x)`
  return text.replace(/\s+/g, ' ').replace(/\\?\$\([a-z0-9-]+?(?:~[a-z0-9-]*?)?\)/gi, '\\$&');
}

export function statusView(s: StatusParams, trusted: boolean): LanguageStatusView {
  const model = { text: `$(circuit-board) ${escapeIcons(s.model || 'no model')}`, detail: s.device ? `on ${escapeIcons(s.device)}` : '' };
  if (!trusted)
    return {
      model,
      state: {
        text: 'Restricted Mode: analysis off',
        detail: 'only syntax features run until you trust this folder',
        severity: 'warning',
        busy: false,
        opens: 'trust',
      },
    };
  const detail = s.message ? escapeIcons(s.message) : '';
  switch (s.state) {
    case 'working':
      return {
        model,
        state: { text: s.total ? `running ${(s.done ?? 0) + 1} of ${s.total}` : 'running', detail, severity: 'information', busy: true, opens: 'output' },
      };
    case 'loading':
      return { model, state: { text: 'loading the model', detail, severity: 'information', busy: true, opens: 'output' } };
    case 'error':
      return { model, state: { text: 'error', detail, severity: 'error', busy: false, opens: 'output' } };
    case 'ready':
      return { model, state: { text: 'ready', detail, severity: 'information', busy: false, opens: 'output' } };
    default:
      return { model, state: { text: 'idle: save the file or run Find', detail, severity: 'information', busy: false, opens: 'output' } };
  }
}
