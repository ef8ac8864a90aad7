/** The status bar tooltip shows `@model` text as text: rendered by a real Markdown renderer, it is never a link, image or HTML. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, statusTooltip } from '../../client/src/statusTooltip';

// markdown-it (CommonMark), with HTML and linkify on: stricter than VS Code's hovers, which allow neither by default.
const md = require('markdown-it')({ html: true, linkify: true });

const HOSTILE = [
  '[Clear the cache](command:knowledgeNeurons.clearCache)',
  '![x](https://example.com/track.png)',
  '<img src=x onerror=alert(1)> <a href="https://example.com">here</a>',
  '**bold** _it_ `code` # heading',
  '$(alert) https://example.com/model',
  '- list\n> quote\n\n| a | b |',
  'C:\\models\\bert & co <b>',
  'org/name@refs/pr/1',
];

const textOf = (html: string) =>
  html
    .replace(/<\/?p>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();

test('escaped text renders as exactly that text, with no element', () => {
  for (const s of HOSTILE) {
    const html = md.render(escapeMarkdown(s));
    assert.equal(textOf(html), s.replace(/\s+/g, ' '), html);
    assert.doesNotMatch(html.replace(/^<p>|<\/p>\n$/g, ''), /<[a-z/]/i, html);
  }
});

test('the status tooltip keeps its own formatting and shows the model and message as text', () => {
  for (const s of HOSTILE) {
    const html = md.render(statusTooltip({ model: s, device: 'cpu', state: 'error', message: `cannot load ${s}` }));
    assert.doesNotMatch(html, /<a |<img|<b>|<code>|<h1|<li|<blockquote|<table/, html);
    assert.match(html, /<strong>Knowledge Neurons<\/strong>/);
    assert.match(html, /<em>Click to select a model\.<\/em>/);
    const paragraphs = html.split('</p>').map((p: string) => textOf(p.replace(/<[^>]+>/g, (t: string) => (t === '<p>' ? '' : t))));
    assert.ok(paragraphs.includes(`Model: ${s.replace(/\s+/g, ' ')}`), paragraphs.join(' | '));
    assert.ok(paragraphs.includes(`cannot load ${s.replace(/\s+/g, ' ')}`));
  }
});
