/**
 * The compare panel's HTML, built without `vscode` so the headless browser test loads exactly
 * what the extension shows. Nothing remote: the script, its stylesheet and the vendored
 * @vscode-elements bundle all come from the extension's dist/media/ folder, and the
 * Content-Security-Policy allows only those (scripts only with this render's nonce).
 */

import { randomBytes } from 'node:crypto';

export interface CompareHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce per render: {@link makeNonce}. */
  nonce: string;
  /** Webview URIs of dist/media/compare.js, compare.css and vscode-elements.js. */
  scriptUri: string;
  styleUri: string;
  elementsUri: string;
}

/** The page's files, relative to the extension root (built by scripts/build.mjs into dist/media/). */
export const MEDIA = {
  dir: 'dist/media',
  script: ['dist', 'media', 'compare.js'],
  style: ['dist', 'media', 'compare.css'],
  elements: ['dist', 'media', 'vscode-elements.js'],
} as const;

/** 128 random bits, base64 (the characters CSP allows in a nonce). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `webview.cspSource` is a list of source expressions, e.g. VS Code 1.100's
 * `'self' https://*.vscode-cdn.net`: each must be `'self'` or a host/scheme source; nothing that
 * could widen the policy (`'unsafe-…'`, a bare `*`, or a `;` starting another directive).
 */
export function validCspSource(source: string): boolean {
  const tokens = source.trim().split(/\s+/);
  return tokens[0] !== '' && tokens.every((t) => t === "'self'" || (/^[^\s;'",]+$/.test(t) && t !== '*'));
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `font-src ${cspSource}`].join('; ');
}

export function buildCompareHtml(o: CompareHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce)) throw new Error('nonce must be at least 16 base64 characters');
  if (!validCspSource(o.cspSource)) throw new Error(`bad cspSource: ${o.cspSource}`);
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Knowledge Neurons: Compare Refined Neurons</title>
</head>
<body>
<div id="app" class="app" aria-busy="true">
  <p class="empty">Loading…</p>
</div>
<script type="module" nonce="${attr(o.nonce)}" src="${attr(o.elementsUri)}"></script>
<script type="module" nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
