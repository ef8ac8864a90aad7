#!/usr/bin/env node
// The one build (esbuild). Type checking is tsc's job (`npm run typecheck`, `tsc -b`).
//
//   node scripts/build.mjs            # dist/ (what the .vsix packs) and out/ (what the tests run)
//   node scripts/build.mjs --watch    # the same, rebuilt on every change
//   node scripts/build.mjs --dist     # dist/ only (scripts/package.mjs)
//
// dist/ (node targets: cjs bundles; `vscode` and the native onnxruntime-node stay external)
//   client.js        the VS Code extension (package.json "main")
//   server.js        the language server, as the VS Code client starts it
//   kn-language-server.js  the language server for other editors (package.json "bin")
//   engineWorker.js  the worker thread the server runs the model in; it loads engine.js by path
//   engine.js        the engine
//   kn.js            the `kn` command line (package.json "bin")
// dist/media/ (browser target: what the compare panel's webview may load, and nothing else)
//   compare.js, compare.css     the page, from media/src/ and media/compare.css
//   vscode-elements.js          @vscode-elements/elements/dist/bundled.js (MIT, + .LICENSE)
// out/ (tests): every .ts file of engine/, protocol/, server/, client/, test/ and bench/ transpiled one to one
//   (no bundling), so that tests can import any module and find the repository from __dirname.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const esbuild = require('esbuild');

const dist = path.join(root, 'dist');
const out = path.join(root, 'out');

/** The node bundles: entry point → dist/<name>.js. */
export const NODE_ENTRIES = [
  { in: 'client/src/extension.ts', out: 'client' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'server/src/engineWorker.ts', out: 'engineWorker' },
  { in: 'engine/src/index.ts', out: 'engine' },
  { in: 'engine/src/cli/main.ts', out: 'kn' },
];
/**
 * The language server for other editors. It loads dist/server.js rather than a second copy of the
 * server: inlined, server.ts's own `require.main === module` start would run too.
 */
const LSP_BIN = { in: 'server/src/cli.ts', out: 'kn-language-server' };
const serverExternal = {
  name: 'server-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/server$/ }, (args) =>
      args.importer === path.join(root, LSP_BIN.in) ? { path: './server.js', external: true } : undefined,
    );
  },
};
/** The page: entry point → dist/media/<name>. */
const PAGE_ENTRIES = [
  { in: 'media/src/main.ts', out: 'compare' },
  { in: 'media/compare.css', out: 'compare' },
];
/** Folders whose .ts files the tests run from out/. */
const TRANSPILED = ['engine/src', 'protocol', 'server/src', 'client/src', 'test', 'bench'];

function listTs(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
}

/** Copies a file when its content changed (so that watchers downstream see real changes only). */
function copyIfChanged(from, to) {
  const data = fs.readFileSync(from);
  if (fs.existsSync(to) && fs.readFileSync(to).equals(data)) return;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, data);
}

/** The vendored web components, copied (they are already a bundle) with their licence. */
function copyVendor() {
  const pkgDir = path.dirname(require.resolve('@vscode-elements/elements/package.json'));
  copyIfChanged(path.join(pkgDir, 'dist', 'bundled.js'), path.join(dist, 'media', 'vscode-elements.js'));
  copyIfChanged(path.join(pkgDir, 'LICENSE'), path.join(dist, 'media', 'vscode-elements.LICENSE'));
}

/** A plugin that logs each rebuild in watch mode (errors are printed by esbuild itself). */
function announce(name, watch) {
  return {
    name: 'announce',
    setup(build) {
      build.onEnd((r) => {
        if (watch) console.log(`[build] ${name}: ${r.errors.length ? `${r.errors.length} error(s)` : 'ok'} ${new Date().toLocaleTimeString()}`);
      });
    },
  };
}

/** esbuild options of each target. */
export function targets({ tests = true, watch = false } = {}) {
  const common = { absWorkingDir: root, logLevel: 'warning', charset: 'utf8', legalComments: 'none' };
  // Node bundles: `vscode` is the editor's, onnxruntime-node is native (copied beside them when packaged).
  const nodeBundle = {
    ...common,
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'onnxruntime-node'],
    keepNames: true,
  };
  const list = [
    { name: 'node', ...nodeBundle, entryPoints: NODE_ENTRIES },
    { name: 'lsp-bin', ...nodeBundle, entryPoints: [LSP_BIN], extraPlugins: [serverExternal] },
    {
      name: 'page',
      ...common,
      entryPoints: PAGE_ENTRIES,
      outdir: path.join(dist, 'media'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: ['chrome114'],
      sourcemap: false,
      metafile: true,
    },
  ];
  if (tests) {
    list.push({
      name: 'tests',
      ...common,
      entryPoints: TRANSPILED.flatMap(listTs),
      outdir: out,
      outbase: root,
      bundle: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // import() as require(), as tsc's commonjs output has it: Node's ESM loader would not find
      // extensionless relative paths.
      supported: { 'dynamic-import': false },
      sourcemap: true,
    });
  }
  return list.map(({ name, extraPlugins = [], ...options }) => ({ name, options: { ...options, plugins: [...extraPlugins, announce(name, watch)] } }));
}

export async function build({ tests = true } = {}) {
  fs.rmSync(dist, { recursive: true, force: true });
  if (tests) fs.rmSync(out, { recursive: true, force: true });
  copyVendor();
  const results = await Promise.all(targets({ tests }).map((t) => esbuild.build(t.options)));
  for (const bin of ['kn.js', 'kn-language-server.js']) fs.chmodSync(path.join(dist, bin), 0o755);
  return results;
}

async function watch() {
  copyVendor();
  const contexts = await Promise.all(targets({ watch: true }).map((t) => esbuild.context(t.options)));
  await Promise.all(contexts.map((c) => c.watch()));
  // New test files are picked up on restart (esbuild watches the files it was given).
  console.log('[build] watching engine/, server/, client/, media/, test/, bench/ (Ctrl+C to stop)');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--watch', '--dist'].includes(a));
  if (unknown.length) {
    console.error(`build: unknown option(s) ${unknown.join(' ')} (known: --watch, --dist)`);
    process.exit(1);
  }
  try {
    if (args.includes('--watch')) await watch();
    else await build({ tests: !args.includes('--dist') });
  } catch {
    process.exit(1); // esbuild has printed the errors
  }
}
