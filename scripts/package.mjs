#!/usr/bin/env node
// Packages the extension as a .vsix that runs without the repository's node_modules.
//
//   npm run package                                   # -> knowledge-neurons-<version>.vsix
//   node scripts/package.mjs --out path/to/file.vsix
//   node scripts/package.mjs --bundle-only            # only dist/ in the repository (for F5 / dev)
//
// 1. media/build.js refreshes the webview's media/compare.js and media/vendor/ (as media/ asks).
// 2. esbuild bundles the client, the language server and (if present) the engine worker and the
//    engine it loads by path into dist/ (platform node, cjs; `vscode` and the native
//    `onnxruntime-node` stay external).
// 3. onnxruntime-node (linux-x64 binaries only) and onnxruntime-common are copied into
//    dist/node_modules, where require('onnxruntime-node') from dist/*.js finds them; that copy is
//    loaded once here, to prove it is complete.
// 4. `vsce package --no-dependencies` packs what .vscodeignore lets through. It runs in a private
//    staging folder (a copy of the top-level entries .vscodeignore lets in, plus the fresh dist/),
//    so it neither walks .git or .cache nor races another packaging run in the same tree.
// 5. The .vsix is listed and checked for the files the extension cannot run without.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const bundleOnly = args.includes('--bundle-only');
const outIdx = args.indexOf('--out');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsixPath = path.resolve(outIdx >= 0 ? args[outIdx + 1] : path.join(root, `${manifest.name}-${manifest.version}.vsix`));
const t0 = Date.now();
const step = (m) => console.log(`[package ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** The only platform we ship binaries for. */
const TARGET = { platform: 'linux', arch: 'x64' };

function die(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

// ---- 1. webview assets ------------------------------------------------------------------------
const mediaBuild = path.join(root, 'media', 'build.js');
if (fs.existsSync(mediaBuild)) {
  require(mediaBuild).build();
  step('media/build.js: media/compare.js, media/vendor/');
}

// ---- 2. bundle ---------------------------------------------------------------------------------
const stage = bundleOnly ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'kn-vsix-'));
process.on('exit', () => stage && fs.rmSync(stage, { recursive: true, force: true }));
const dist = path.join(stage ?? root, 'dist');

const entries = [
  { in: 'client/src/extension.ts', out: 'client', required: true },
  { in: 'server/src/server.ts', out: 'server', required: true },
  { in: 'server/src/engineWorker.ts', out: 'engineWorker', required: false },
  // The worker loads the engine by path: `engine.js` beside it in a bundle.
  { in: 'engine/src/index.ts', out: 'engine', required: false },
];
const missing = entries.filter((e) => e.required && !fs.existsSync(path.join(root, e.in)));
if (missing.length) die(`missing entry point(s): ${missing.map((e) => e.in).join(', ')}`);

fs.rmSync(dist, { recursive: true, force: true });
const esbuild = require('esbuild');
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: entries.filter((e) => fs.existsSync(path.join(root, e.in))).map((e) => ({ in: e.in, out: e.out })),
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'onnxruntime-node'],
  sourcemap: false,
  minify: false,
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
});
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  step(`bundled dist/${path.basename(file)} (${(info.bytes / 1024).toFixed(0)} KiB)`);
}

// ---- 3. native runtime dependencies ------------------------------------------------------------
function copy(from, to, filter = () => true) {
  const st = fs.statSync(from);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(from)) copy(path.join(from, name), path.join(to, name), filter);
  } else if (filter(from)) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, st.mode);
  }
}
/** Folder of package `name` as Node finds it from `fromDir` (reads no "exports"). */
function pkgDir(name, fromDir) {
  for (const base of createRequire(path.join(fromDir, 'x.js')).resolve.paths(name) ?? []) {
    if (fs.existsSync(path.join(base, name, 'package.json'))) return path.join(base, name);
  }
  die(`${name} is not installed (ONNXRUNTIME_NODE_INSTALL=skip npm ci)`);
}
const all = () => true;
const jsOnly = (f) => /\.(c?js|json)$/.test(f);
const ortNode = pkgDir('onnxruntime-node', root);
const ortCommon = pkgDir('onnxruntime-common', ortNode);
const nm = path.join(dist, 'node_modules');
// onnxruntime-node's own dependencies (adm-zip, global-agent) serve only its install script, which
// downloads GPU binaries; at run time its dist/*.js require only onnxruntime-common.
for (const [dir, name, parts] of [
  [ortNode, 'onnxruntime-node', [['package.json', all], ['LICENSE', all], ['dist', jsOnly], [`bin/napi-v6/${TARGET.platform}/${TARGET.arch}`, all]]],
  [ortCommon, 'onnxruntime-common', [['package.json', all], ['LICENSE', all], ['dist/cjs', jsOnly]]],
]) {
  for (const [part, filter] of parts) {
    const from = path.join(dir, part);
    if (fs.existsSync(from)) copy(from, path.join(nm, name, part), filter);
    else if (part !== 'LICENSE') die(`${name}: ${part} is missing (install with ONNXRUNTIME_NODE_INSTALL=skip npm ci)`);
  }
}
if (process.platform === TARGET.platform && process.arch === TARGET.arch) {
  // Load the copy, not the repository's: proves nothing is missing from dist/node_modules.
  const req = createRequire(path.join(dist, 'server.js'));
  if (!req.resolve('onnxruntime-node').startsWith(nm)) die(`onnxruntime-node resolves outside ${nm}`);
  if (typeof req('onnxruntime-node').InferenceSession?.create !== 'function') die('the copied onnxruntime-node does not load');
}
step(`copied onnxruntime-node + onnxruntime-common (${TARGET.platform}-${TARGET.arch} only) into dist/node_modules`);

if (bundleOnly) process.exit(0);

// ---- 4. vsce, in the staging folder ------------------------------------------------------------
const ignoreFile = path.join(root, '.vscodeignore');
const kept = fs
  .readFileSync(ignoreFile, 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l.startsWith('!'))
  .map((l) => l.slice(1).split('/')[0]);
const globToRegExp = (g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
const keptRe = kept.map(globToRegExp);
for (const name of fs.readdirSync(root)) {
  if (name === 'dist' || name === 'node_modules' || !keptRe.some((re) => re.test(name))) continue;
  copy(path.join(root, name), path.join(stage, name));
}
fs.copyFileSync(ignoreFile, path.join(stage, '.vscodeignore'));

const main = manifest.main ? path.posix.normalize(manifest.main.replace(/^\.\//, '')) : undefined;
const mainFile = main && (main.endsWith('.js') ? main : `${main}.js`);
if (mainFile && !fs.existsSync(path.join(stage, mainFile))) {
  die(`package.json "main" is ${manifest.main}, which the bundle did not produce (it makes dist/client.js)`);
}
const vsceArgs = ['package', '--no-dependencies', '--out', vsixPath];
if (!manifest.repository) {
  // Without a repository vsce cannot turn README.md's relative links into URLs, and refuses to
  // pack; they stay relative, and resolve inside the installed extension (docs/ and models/ are packed).
  console.warn('package: package.json has no "repository"; packing with --allow-missing-repository --no-rewrite-relative-links');
  vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
}
if (!['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => fs.existsSync(path.join(stage, f)))) {
  console.warn('package: no LICENSE file; packaging with --skip-license');
  vsceArgs.push('--skip-license');
}
fs.mkdirSync(path.dirname(vsixPath), { recursive: true });
fs.rmSync(vsixPath, { force: true });
try {
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), vsceArgs, { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] });
} catch {
  die(`vsce ${vsceArgs.join(' ')} failed (see above)`);
}

// ---- 5. check the .vsix -----------------------------------------------------------------------
const listing = execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean);
const mustHave = [
  'extension/package.json',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/node_modules/onnxruntime-node/package.json',
  'extension/dist/node_modules/onnxruntime-node/dist/index.js',
  `extension/dist/node_modules/onnxruntime-node/bin/napi-v6/${TARGET.platform}/${TARGET.arch}/onnxruntime_binding.node`,
  'extension/dist/node_modules/onnxruntime-common/package.json',
  'extension/dist/node_modules/onnxruntime-common/dist/cjs/index.js',
];
for (const f of ['engineWorker.js', 'engine.js']) if (fs.existsSync(path.join(dist, f))) mustHave.push(`extension/dist/${f}`);
if (mainFile) mustHave.push(`extension/${mainFile}`);
// Files package.json points at (grammars, snippets, language configuration, icon) must be inside.
const contributes = manifest.contributes ?? {};
for (const p of [
  manifest.icon,
  ...(contributes.languages ?? []).map((l) => l.configuration),
  ...(contributes.grammars ?? []).map((g) => g.path),
  ...(contributes.snippets ?? []).map((s) => s.path),
]) {
  if (typeof p === 'string') mustHave.push(`extension/${path.posix.normalize(p.replace(/^\.\//, ''))}`);
}
const absent = mustHave.filter((f) => !listing.includes(f));
if (absent.length) die(`the .vsix lacks:\n  ${absent.join('\n  ')}`);
const strays = listing.filter((f) => /^extension\/(node_modules|out|src|test|\.cache|client|server|engine|scripts)\/|\.map$|\.ts$/.test(f));
if (strays.length) die(`the .vsix holds files it should not:\n  ${strays.slice(0, 20).join('\n  ')}`);
const size = fs.statSync(vsixPath).size;
step(`${path.relative(process.cwd(), vsixPath) || vsixPath}: ${listing.length} files, ${(size / 1024 / 1024).toFixed(1)} MiB`);
