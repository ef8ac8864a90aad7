import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCompareHtml, contentSecurityPolicy, makeNonce } from '../../client/src/compareHtml';

const opts = (nonce: string) => ({
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/compare.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/compare.css',
  elementsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/vendor/vscode-elements.js',
});

describe('compare panel HTML', () => {
  it('has the strict CSP and a nonce on every script', () => {
    const nonce = makeNonce();
    const html = buildCompareHtml(opts(nonce));
    const csp = contentSecurityPolicy(opts(nonce).cspSource, nonce);
    assert.equal(
      csp,
      `default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net data:; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-${nonce}'; font-src https://file+.vscode-resource.vscode-cdn.net`,
    );
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, "'")}">`));
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 2);
    for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`) && s.includes(' src="'), s);
    assert.ok(!/<script\b[^>]*>[^<]+<\/script>/.test(html), 'no inline script');
    assert.ok(!/\sstyle=/.test(html) && !/<style/.test(html), 'no inline style');
    assert.ok(!/https?:\/\/(?!file\+\.vscode-resource)/.test(html), 'nothing remote');
  });

  it('uses a fresh random nonce per render', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.throws(() => buildCompareHtml(opts('short')));
    assert.throws(() => buildCompareHtml({ ...opts(a), cspSource: "x 'unsafe-inline'" }));
    assert.throws(() => buildCompareHtml({ ...opts(a), cspSource: 'https://a; script-src *' }));
    assert.throws(() => buildCompareHtml({ ...opts(a), cspSource: '*' }));
    // What VS Code 1.100 (and code-server 4.100) really sets.
    assert.match(buildCompareHtml({ ...opts(a), cspSource: "'self' https://*.vscode-cdn.net" }), /img-src 'self' https:\/\/\*\.vscode-cdn\.net data:/);
  });
});
