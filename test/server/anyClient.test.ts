/**
 * The language server for any LSP client, over stdio through the `kn-language-server` bin: a bare
 * client that declares no capabilities at all, and one that declares exactly what Neovim 0.10
 * declares (vim.lsp.protocol.make_client_capabilities(), runtime/lua/vim/lsp/protocol.lua). Each
 * runs every command the lenses carry through the ids the server advertises, and sets every
 * setting by push. The engine is test/server/fakeEngine.ts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  ClientCapabilities,
  CodeLensRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  HoverRequest,
  InlayHintRequest,
  InlayHintResolveRequest,
  SemanticTokensRequest,
} from 'vscode-languageserver-protocol/node';
import { TestClient, fakeWorkspace, fileUri, repoRoot, serverBin, fakeEngine } from './lspClient';

const T = { timeout: 90_000 };
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** Neovim 0.10's client capabilities (the parts a server can act on are all here). */
const NEOVIM_0_10: ClientCapabilities = {
  general: { positionEncodings: ['utf-8', 'utf-16', 'utf-32'] },
  textDocument: {
    diagnostic: { dynamicRegistration: false },
    inlayHint: { dynamicRegistration: true, resolveSupport: { properties: ['textEdits', 'tooltip', 'location', 'command'] } },
    semanticTokens: {
      dynamicRegistration: false,
      tokenTypes: [
        'namespace',
        'type',
        'class',
        'enum',
        'interface',
        'struct',
        'typeParameter',
        'parameter',
        'variable',
        'property',
        'enumMember',
        'event',
        'function',
        'method',
        'macro',
        'keyword',
        'modifier',
        'comment',
        'string',
        'number',
        'regexp',
        'operator',
        'decorator',
      ],
      tokenModifiers: ['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary'],
      formats: ['relative'],
      requests: { range: false, full: { delta: true } },
      overlappingTokenSupport: true,
      multilineTokenSupport: false,
      serverCancelSupport: false,
      augmentsSyntaxTokens: true,
    },
    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
    codeAction: {
      dynamicRegistration: true,
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'],
        },
      },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    codeLens: { dynamicRegistration: false, resolveSupport: { properties: ['command'] } } as ClientCapabilities['textDocument'] extends infer X
      ? X extends { codeLens?: infer C }
        ? C
        : never
      : never,
    formatting: { dynamicRegistration: true },
    rangeFormatting: { dynamicRegistration: true, rangesSupport: true },
    completion: {
      dynamicRegistration: false,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: false,
        preselectSupport: false,
        deprecatedSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        resolveSupport: { properties: ['additionalTextEdits'] },
        tagSupport: { valueSet: [1] },
      },
      completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => (i + 1) as 1) },
      completionList: { itemDefaults: ['editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
      contextSupport: false,
    },
    declaration: { linkSupport: true },
    definition: { linkSupport: true, dynamicRegistration: true },
    implementation: { linkSupport: true },
    typeDefinition: { linkSupport: true },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      dynamicRegistration: false,
      signatureInformation: {
        activeParameterSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        parameterInformation: { labelOffsetSupport: true },
      },
    },
    references: { dynamicRegistration: false },
    documentHighlight: { dynamicRegistration: false },
    documentSymbol: {
      dynamicRegistration: false,
      symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) },
      hierarchicalDocumentSymbolSupport: true,
    },
    rename: { dynamicRegistration: true, prepareSupport: true },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, dataSupport: true },
    callHierarchy: { dynamicRegistration: false },
  },
  workspace: {
    symbol: { dynamicRegistration: false, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) } },
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { resourceOperations: ['rename', 'create', 'delete'] },
    semanticTokens: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: false, relativePatternSupport: true },
    inlayHint: { refreshSupport: true },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
};

const DOC = `@version 1
@model ../models/fake
fact capital-of-france -> Paris
  The capital of France is <mask>.
  [fr] La capitale de la France est <mask>.
  People in France say <mask> a lot.
  not: The capital of Germany is <mask>.
fact city -> Berlin
  The capital of Germany is <mask>.
`;

const setup = fakeWorkspace;

async function start(env: ReturnType<typeof setup>, capabilities: ClientCapabilities, initializationOptions: unknown) {
  const c = await TestClient.start({
    bin: true,
    capabilities,
    initializationOptions,
    env: { KN_ENGINE_MODULE: fakeEngine, KN_FAKE_LOG: env.log, KN_DEFAULT_MODEL: '' },
    workspace: env.dir,
  });
  clients.push(c);
  return c;
}

/** Runs every lens's command through workspace/executeCommand, as Neovim's codelens.run() does: each must be advertised. */
async function runEveryLens(c: TestClient, uri: string, advertised: string[]): Promise<Map<string, unknown>> {
  const lenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  assert.ok(lenses.length > 0);
  const results = new Map<string, unknown>();
  for (const lens of lenses) {
    assert.ok(advertised.includes(lens.command!.command), `${lens.command!.command} is advertised`);
    results.set(`${lens.command!.command} ${lens.command!.arguments![1]}`, await c.command(lens.command!.command, ...(lens.command!.arguments ?? [])));
  }
  return results;
}

test('kn-language-server --version and --help answer and exit', () => {
  const version = spawnSync(process.execPath, [serverBin, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0);
  assert.equal(version.stdout.trim(), `kn-language-server ${JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version}`);
  const help = spawnSync(process.execPath, [serverBin, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--stdio/);
  assert.equal(spawnSync(process.execPath, [serverBin, '--nonsense'], { encoding: 'utf8' }).status, 1);
  assert.equal(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).bin['kn-language-server'], 'dist/kn-language-server.js');
});

test(
  'a bare stdio client with no capabilities: no requests to it, plain-text hovers, every lens command runs, settings from initializationOptions',
  T,
  async () => {
    const env = setup('bare');
    const c = await start(env, {}, { settings: { cacheFolder: env.cacheFolder, onSave: 'attributions', lowConfidence: 0.5 } });
    const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
    await c.open(uri, DOC);
    await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 0, 'clean syntax');
    await c.save(uri);
    const d = await c.diagnosticsFor(uri, (p) => p.diagnostics.some((x) => x.code === 'low-confidence'), 'model diagnostics');
    assert.ok(d.diagnostics.length > 0);
    const status = await c.command<{ settings: { lowConfidence: number; cacheFolder: string } }>('knowledgeNeurons.server.status', uri);
    assert.equal(status.settings.lowConfidence, 0.5);
    assert.equal(status.settings.cacheFolder, env.cacheFolder);

    const advertised = [
      'knowledgeNeurons.server.findNeurons',
      'knowledgeNeurons.server.suppress',
      'knowledgeNeurons.server.enhance',
      'knowledgeNeurons.server.compare',
      'knowledgeNeurons.server.exportResults',
      'knowledgeNeurons.server.clearCache',
      'knowledgeNeurons.server.status',
    ];
    const results = await runEveryLens(c, uri, advertised);
    // no Compare lens for a client that cannot show the panel
    assert.deepEqual(
      [...results.keys()].map((k) => k.split(' ')[0].replace('knowledgeNeurons.server.', '')),
      ['findNeurons', 'suppress', 'enhance', 'findNeurons', 'suppress', 'enhance'],
    );
    const found = results.get(`knowledgeNeurons.server.findNeurons capital-of-france`) as { facts: Array<{ groups: Record<string, { refined: unknown[] }> }> };
    assert.ok(found.facts[0].groups.all.refined.length > 0);
    // the results stay in the lenses and the hover
    const lenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }))!;
    assert.match(lenses[1].command!.title, /^Suppressed: P 0\.90 → 0\.10 \(−89%\)$/);
    assert.match(lenses[2].command!.title, /^Enhanced: P 0\.90 → 0\.99 \(\+10%\)$/);
    const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 8 } });
    const contents = hover!.contents as { kind: string; value: string };
    assert.equal(contents.kind, 'plaintext');
    assert.doesNotMatch(contents.value, /\*\*|`|\\</);
    assert.match(contents.value, /Suppressed \d+ neurons?: P\(answer\) before → after/);
    // the other commands
    const data = await c.command<{ model: string; facts: unknown[] }>('knowledgeNeurons.server.compare', uri, 'capital-of-france');
    assert.equal(data.model, 'fake');
    assert.equal(data.facts.length, 1);
    // the server asked nothing of a client that declared nothing, and showed no message on save
    assert.deepEqual(c.requests, []);
    assert.deepEqual(c.messages, []);
    assert.equal(c.progress.length, 0);

    const tokens = await c.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
    const edits = await c.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, [], 'the document is already formatted');
    const items = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.ok(Array.isArray(items) && items.some((i) => i.label === '@model'));
  },
);

test(
  "Neovim 0.10's capabilities: markdown hovers, neuron cards in resolved hints, progress and refreshes it declares only, every setting by push",
  T,
  async () => {
    const env = setup('neovim');
    const c = await start(env, NEOVIM_0_10, {});
    // a client whose configuration answer has no knowledgeNeurons section: only pushes set anything
    c.settings = undefined as unknown as Record<string, unknown>;
    const uri = fileUri(path.join(env.docsDir, 'a.prompts'));
    const push = async (settings: Record<string, unknown>) => {
      await c.setSettings(settings);
      c.settings = undefined as unknown as Record<string, unknown>;
    };
    await push({ cacheFolder: env.cacheFolder, onSave: 'off' });
    await c.open(uri, DOC);
    await c.diagnosticsFor(uri, (p) => p.diagnostics.length === 0, 'clean syntax');
    // every setting, pushed one at a time, is what the server then uses for the file
    const values: Record<string, unknown> = {
      model: env.modelDir,
      device: 'cpu',
      weights: 'int8',
      steps: 7,
      batchSize: 40,
      adaptiveThreshold: 0.4,
      threshold: 0.02,
      percentile: 99,
      p: 0.6,
      lowConfidence: 0.2,
      cacheFolder: path.join(env.dir, 'cache2'),
      concurrency: 2,
      onSave: 'predictions',
      allowModelsOutsideWorkspace: true,
    };
    const pushed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      pushed[key] = value;
      await push({ ...pushed });
      const status = await c.command<{ settings: Record<string, unknown> }>('knowledgeNeurons.server.status', uri);
      assert.deepEqual(status.settings[key], value, key);
    }
    assert.equal(
      Object.keys(values).length,
      Object.keys((await c.command<{ settings: Record<string, unknown> }>('knowledgeNeurons.server.status', uri)).settings).length,
      'every setting was pushed',
    );
    await push({ cacheFolder: env.cacheFolder, onSave: 'attributions', lowConfidence: 0.5 });
    await c.save(uri);
    await c.waitFor(() => c.progress.some((p) => p.value.kind === 'end'), 'progress end');
    await c.diagnosticsFor(uri, (p) => p.diagnostics.some((x) => x.code === 'low-confidence'), 'model diagnostics');

    const results = await runEveryLens(c, uri, ['knowledgeNeurons.server.findNeurons', 'knowledgeNeurons.server.suppress', 'knowledgeNeurons.server.enhance']);
    assert.equal(results.size, 6, 'find, suppress and enhance on both facts; no Compare lens');
    const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 10 } });
    assert.equal((hover!.contents as { kind: string }).kind, 'markdown');
    const hints = (await c.conn.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    }))!;
    const resolved = await c.conn.sendRequest(InlayHintResolveRequest.type, hints[0]);
    const tooltip = (resolved.tooltip as { value: string }).value;
    assert.match(tooltip, /\*\*Neuron L1·3\*\* · value vector norm 1\.00\n\npromotes `tok4` `tok5`/);
    assert.match(tooltip, /refined neuron of \*\*capital-of-france\*\*/);
    assert.match(tooltip, /\| The capital of France is \\<mask\\>\. \| 1\.00 \| 1\.00 \|/);
    // it declared progress and inlay / semantic-token refreshes, not code-lens refreshes or configuration sections it lacks
    assert.ok(c.requests.includes('window/workDoneProgress/create'));
    // refreshes are debounced (50 ms): the last one may still be on its way
    await c.waitFor(() => c.requests.includes('workspace/inlayHint/refresh'), 'an inlay hint refresh');
    assert.ok(!c.requests.includes('workspace/codeLens/refresh'));
    assert.deepEqual(c.messages, []);
  },
);
