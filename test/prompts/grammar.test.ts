/** The editor contributions: TextMate grammar, language configuration, snippets and package.json's contributes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIRECTIVE_NAMES, parse } from '../../engine/src/prompts';
import { repoRoot } from './helpers';
import { EDITOR_DEFAULTS } from '../../server/src/settings';

const read = (p: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, p), 'utf8'));
const pkg = read('package.json');
const grammar = read('syntaxes/prompts.tmLanguage.json');

/** Oniguruma → JS for the features this grammar uses (\G anchors the match where the previous one ended). */
function js(re: string): RegExp {
  return new RegExp(re.replace(/\\G/g, ''));
}

function allRegexes(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRegexes(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
      else allRegexes(v, out);
    }
  }
  return out;
}

test('grammar: every pattern compiles and every include resolves', () => {
  assert.equal(grammar.scopeName, 'source.prompts');
  const res = allRegexes(grammar);
  assert.ok(res.length > 15);
  for (const r of res) assert.doesNotThrow(() => js(r), r);
  const includes = JSON.stringify(grammar).match(/"include":\s*"#([\w-]+)"/g) ?? [];
  for (const inc of includes) {
    const name = /#([\w-]+)/.exec(inc)![1];
    assert.ok(grammar.repository[name], `#${name} is defined`);
  }
});

test('grammar: the line kinds and their parts are recognised', () => {
  const r = grammar.repository;
  assert.match('@model ../models/bert-tiny-facts', js(r.directive.begin));
  assert.doesNotMatch('@stpes 20', js(r.directive.begin));
  assert.match('@stpes 20', js(r['unknown-directive'].match));
  assert.match('# a comment', js(r['comment-line'].match));
  assert.match('fact capital-of-france -> Paris', js(r['fact-header'].begin));
  assert.doesNotMatch('factual prompt <mask>', js(r['fact-header'].begin));
  const tagged = js(r.prompt.patterns[0].match).exec('  not: [fr] La capitale est <mask>')!;
  assert.equal(tagged[1], 'not:');
  assert.equal(tagged[3], 'fr');
  const [mask, wrong] = r.mask.patterns.map((p: { match: string }) => js(p.match));
  assert.match('is <mask>.', mask);
  assert.match('is [MASK].', wrong);
  assert.doesNotMatch('is <mask>.', wrong);
  const answers = r['fact-header'].patterns[1].patterns;
  const tag = answers.find((p: { captures?: Record<string, { name: string }> }) => p.captures?.['1']?.name.startsWith('entity.name.tag'));
  assert.equal(js(tag.match).exec('-> en: French')?.[1], 'en');
  assert.equal(js(tag.match).exec('-> en: French | fr: français')?.index, 2);
  assert.equal(js(tag.match).exec('| fr: français')?.[1], 'fr');
});

test('snippets expand to valid .prompts text', () => {
  const snippets = read('snippets/prompts.json') as Record<string, { prefix: string; body: string[] }>;
  const expand = (s: string) => s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
  const fact = expand(snippets.Fact.body.join('\n'));
  assert.deepEqual(parse(fact).diagnostics, []);
  assert.deepEqual(parse(expand(snippets['Fact with an answer per language'].body.join('\n'))).diagnostics, []);
  assert.deepEqual(parse(expand(snippets.Header.body.join('\n'))).diagnostics, []);
  assert.deepEqual(parse(fact + '\n  ' + expand(snippets['Negative example'].body.join('\n'))).diagnostics, []);
});

test('language configuration: # comments and brackets', () => {
  const conf = read('language-configuration.json');
  assert.equal(conf.comments.lineComment, '#');
  assert.deepEqual(conf.brackets[0], ['[', ']']);
});

test('package.json contributes the language, grammar, snippets, settings and commands', () => {
  assert.equal(pkg.main, './dist/client.js');
  const c = pkg.contributes;
  assert.deepEqual(c.languages[0].id, 'prompts');
  assert.deepEqual(c.languages[0].extensions, ['.prompts']);
  for (const p of [c.languages[0].configuration, c.grammars[0].path, c.snippets[0].path]) assert.ok(fs.existsSync(path.join(repoRoot, p)), p);
  assert.equal(c.grammars[0].scopeName, grammar.scopeName);
  const commands = Object.fromEntries(c.commands.map((x: { command: string; title: string; category: string }) => [x.command, `${x.category}: ${x.title}`]));
  assert.deepEqual(commands, {
    'knowledgeNeurons.findNeurons': 'Knowledge Neurons: Find Knowledge Neurons',
    'knowledgeNeurons.selectModel': 'Knowledge Neurons: Select Model',
    'knowledgeNeurons.suppress': 'Knowledge Neurons: Suppress Neurons',
    'knowledgeNeurons.enhance': 'Knowledge Neurons: Enhance Neurons',
    'knowledgeNeurons.compare': 'Knowledge Neurons: Compare Refined Neurons',
    'knowledgeNeurons.exportResults': 'Knowledge Neurons: Export Results',
    'knowledgeNeurons.clearCache': 'Knowledge Neurons: Clear Cache',
    'knowledgeNeurons.showOutput': 'Knowledge Neurons: Show Output',
    'knowledgeNeurons.openExamples': 'Knowledge Neurons: Open the Examples',
  });
  assert.ok(pkg.activationEvents.includes('onLanguage:prompts'));
  for (const id of Object.keys(commands)) assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), id);
  const props = c.configuration.properties;
  const declared = Object.entries(props).filter(([, v]) => !(v as { markdownDeprecationMessage?: string }).markdownDeprecationMessage);
  const defaults = Object.fromEntries(declared.map(([k, v]) => [k.replace('knowledgeNeurons.', ''), (v as { default: unknown }).default]));
  // The extension's declared defaults are the server's own (`sharedFraction` is the setting behind its `p`;
  // the deprecated `knowledgeNeurons.p` is read only while set).
  const { p, ...rest } = EDITOR_DEFAULTS;
  assert.deepEqual(defaults, { ...rest, sharedFraction: p });
  assert.deepEqual(props['knowledgeNeurons.device'].enum, ['auto', 'cuda', 'cpu', 'webgpu']);
  assert.deepEqual(props['knowledgeNeurons.onSave'].enum, ['attributions', 'predictions', 'off']);
});

test('the walkthrough: its media are packaged files, its buttons declared commands, nothing remote', () => {
  const [w, ...others] = pkg.contributes.walkthroughs;
  assert.equal(others.length, 0);
  const declared = new Set(pkg.contributes.commands.map((x: { command: string }) => x.command));
  const kept = fs
    .readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).split('/')[0]);
  const ids: string[] = [];
  for (const step of w.steps as Array<{ id: string; description: string; media: Record<string, string>; completionEvents?: string[] }>) {
    ids.push(step.id);
    for (const key of ['image', 'markdown', 'svg']) {
      const file = step.media[key];
      if (!file) continue;
      assert.ok(fs.existsSync(path.join(repoRoot, file)), `${step.id}: ${file}`);
      assert.ok(kept.includes(file.split('/')[0]), `${step.id}: ${file} is not packaged (.vscodeignore)`);
      if (key === 'markdown') assert.doesNotMatch(fs.readFileSync(path.join(repoRoot, file), 'utf8'), /https?:|<img|<script/i, file);
    }
    if (step.media.image) assert.ok(step.media.altText, `${step.id}: alt text`);
    const links = [...step.description.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    for (const link of links) assert.match(link, /^command:knowledgeNeurons\.\w+$/, `${step.id}: ${link}`);
    for (const link of links) assert.ok(declared.has(link.slice('command:'.length)), `${step.id}: ${link} is not a declared command`);
    for (const e of step.completionEvents ?? []) assert.ok(links.includes(`command:${e.replace(/^onCommand:/, '')}`), `${step.id}: ${e}`);
  }
  assert.deepEqual(ids, ['openExamples', 'find', 'compare', 'model', 'otherEditors']);
  assert.ok(kept.includes('examples'), 'the examples the first step copies are packaged');
});

test("every directive the parser knows is highlighted as one and has a row in the format's directive table", () => {
  const table = fs.readFileSync(path.join(repoRoot, 'docs', 'prompts-format.md'), 'utf8');
  const rows = new Set([...table.matchAll(/^\| `@([a-z-]+)` \|/gm)].map((m) => m[1]));
  assert.deepEqual([...rows].sort(), [...DIRECTIVE_NAMES].sort());
  const r = grammar.repository;
  for (const name of DIRECTIVE_NAMES) assert.match(`@${name} x`, js(r.directive.begin), name);
});
