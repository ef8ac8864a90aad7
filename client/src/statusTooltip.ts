/**
 * The status bar item's tooltip, as Markdown. The model name comes from a `@model` directive, the
 * message from the engine: both are text from the workspace, so they are escaped and can never
 * become a link, a command, an image or HTML in the tooltip.
 */
import type { StatusParams } from '../../protocol/lsp';

/** Markdown that renders as exactly `text` (on one line): every punctuation mark escaped, `<` and `&` as entities. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~:$"'=]/g, '\\$&');
}

export function statusTooltip(s: StatusParams): string {
  const lines = [
    '**Knowledge Neurons**',
    `Model: ${escapeMarkdown(s.model || 'no model')}`,
    `Device: ${escapeMarkdown(s.device || '–')}`,
    `State: ${escapeMarkdown(s.state)}`,
    ...(s.message ? [escapeMarkdown(s.message)] : []),
    '_Click to select a model._',
  ];
  return lines.join('\n\n');
}
