#!/usr/bin/env node
// Packages the extension as one .vsix per platform (VS Code's convention for native modules), each
// running without the repository's node_modules and holding only its own platform's binaries.
//
//   npm run package                                   # this machine's platform
//   npm run package -- --target darwin-arm64          # -> knowledge-neurons-darwin-arm64-<version>.vsix
//   npm run package -- --target linux-x64 --target win32-x64 --out-dir packages/
//   npm run package -- --target all                   # every platform onnxruntime-node ships
//   node scripts/package.mjs --target linux-x64 --out path/to/file.vsix
//
// 1. scripts/build.mjs --dist builds dist/ (the bundles and the page).
// 2. For each target, in a private staging folder: the top-level entries .vscodeignore lets in,
//    dist/, and in dist/node_modules onnxruntime-node (that target's binaries only) and
//    onnxruntime-common, where require('onnxruntime-node') from dist/*.js finds them. On this
//    machine's own target that copy is loaded once, to prove it is complete.
// 3. `vsce package --no-dependencies --target T` packs what .vscodeignore lets through.
// 4. The .vsix is listed and checked: the files the extension cannot run without, its target in the
//    manifest, no binary of another platform, nothing from the sources or the tests.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, root } from './build.mjs';

const require = createRequire(path.join(root, 'package.json'));
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const t0 = Date.now();
const step = (m) => console.log(`[package ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

function die(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** Folder of package `name` as Node finds it from `fromDir` (reads no "exports"). */
function pkgDir(name, fromDir) {
  for (const base of createRequire(path.join(fromDir, 'x.js')).resolve.paths(name) ?? []) {
    if (fs.existsSync(path.join(base, name, 'package.json'))) return path.join(base, name);
  }
  die(`${name} is not installed (ONNXRUNTIME_NODE_INSTALL=skip npm ci)`);
}
const ortNode = pkgDir('onnxruntime-node', root);
const ortCommon = pkgDir('onnxruntime-common', ortNode);
/** onnxruntime-node's native folder, bin/napi-v<N>/<platform>/<arch>/ (it loads exactly that path). */
const napiDir = fs.readdirSync(path.join(ortNode, 'bin')).find((d) => /^napi-v\d+$/.test(d));
if (!napiDir) die(`${ortNode}/bin has no napi-v* folder`);

/** The VS Code targets onnxruntime-node ships binaries for, e.g. linux-x64, darwin-arm64. */
function supportedTargets() {
  const base = path.join(ortNode, 'bin', napiDir);
  return fs
    .readdirSync(base)
    .flatMap((platform) => fs.readdirSync(path.join(base, platform)).map((arch) => `${platform}-${arch}`))
    .filter((t) => fs.existsSync(path.join(base, ...t.split('-'), 'onnxruntime_binding.node')))
    .sort();
}

// ---- arguments --------------------------------------------------------------------------------
const args = process.argv.slice(2);
let targets = [];
let outFile;
let outDir = root;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => args[++i] ?? die(`${a} needs a value`);
  if (a === '--target') targets.push(...value().split(','));
  else if (a === '--out') outFile = path.resolve(value());
  else if (a === '--out-dir') outDir = path.resolve(value());
  else die(`unknown option ${a} (known: --target T, --out FILE, --out-dir DIR)`);
}
const supported = supportedTargets();
if (targets.includes('all')) targets = supported;
if (!targets.length) targets = [`${process.platform}-${process.arch}`];
for (const t of targets) {
  if (!supported.includes(t)) {
    die(`no package for ${t}: onnxruntime-node ${require(path.join(ortNode, 'package.json')).version} ships binaries for ${supported.join(', ')} only`);
  }
}
if (outFile && targets.length > 1) die('--out names one file: use --out-dir with several targets');

// ---- 1. build ---------------------------------------------------------------------------------
await build({ tests: false }).catch(() => die('the build failed (see above)'));
step('built dist/ (scripts/build.mjs --dist)');

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
const all = () => true;
const jsOnly = (f) => /\.(c?js|json)$/.test(f);

const ignoreFile = path.join(root, '.vscodeignore');
const kept = fs
  .readFileSync(ignoreFile, 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l.startsWith('!'))
  .map((l) => l.slice(1).split('/')[0]);
const globToRegExp = (g) =>
  new RegExp(
    `^${g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
const keptRe = kept.map(globToRegExp);
const main = manifest.main ? path.posix.normalize(manifest.main.replace(/^\.\//, '')) : undefined;
const mainFile = main && (main.endsWith('.js') ? main : `${main}.js`);

/** Packs one target; returns the .vsix path. */
function packageTarget(target) {
  const [platform, arch] = target.split('-');
  const vsixPath = outFile ?? path.join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-vsix-'));
  try {
    // ---- 2. staging folder ----
    for (const name of fs.readdirSync(root)) {
      if (name === 'node_modules' || !keptRe.some((re) => re.test(name))) continue;
      copy(path.join(root, name), path.join(stage, name));
    }
    fs.copyFileSync(ignoreFile, path.join(stage, '.vscodeignore'));
    const nm = path.join(stage, 'dist', 'node_modules');
    // onnxruntime-node's own dependencies (adm-zip, global-agent) serve only its install script, which
    // downloads GPU binaries; at run time its dist/*.js require only onnxruntime-common.
    for (const [dir, name, parts] of [
      [
        ortNode,
        'onnxruntime-node',
        [
          ['package.json', all],
          ['LICENSE', all],
          ['dist', jsOnly],
          [`bin/${napiDir}/${platform}/${arch}`, all],
        ],
      ],
      [
        ortCommon,
        'onnxruntime-common',
        [
          ['package.json', all],
          ['LICENSE', all],
          ['dist/cjs', jsOnly],
        ],
      ],
    ]) {
      for (const [part, filter] of parts) {
        const from = path.join(dir, part);
        if (fs.existsSync(from)) copy(from, path.join(nm, name, part), filter);
        else if (part !== 'LICENSE') die(`${name}: ${part} is missing (install with ONNXRUNTIME_NODE_INSTALL=skip npm ci)`);
      }
    }
    if (target === `${process.platform}-${process.arch}`) {
      // Load the copy, not the repository's: proves nothing is missing from dist/node_modules.
      const req = createRequire(path.join(stage, 'dist', 'server.js'));
      if (!req.resolve('onnxruntime-node').startsWith(nm)) die(`onnxruntime-node resolves outside ${nm}`);
      if (typeof req('onnxruntime-node').InferenceSession?.create !== 'function') die('the copied onnxruntime-node does not load');
    }
    if (mainFile && !fs.existsSync(path.join(stage, mainFile))) {
      die(`package.json "main" is ${manifest.main}, which the build did not produce (it makes dist/client.js)`);
    }

    // ---- 3. vsce ----
    const vsceArgs = ['package', '--no-dependencies', '--target', target, '--out', vsixPath];
    fs.mkdirSync(path.dirname(vsixPath), { recursive: true });
    fs.rmSync(vsixPath, { force: true });
    try {
      execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), vsceArgs, { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch {
      die(`vsce ${vsceArgs.join(' ')} failed (see above)`);
    }
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }

  // ---- 4. check the .vsix ----
  const listing = listVsix(vsixPath);
  const ortBin = `extension/dist/node_modules/onnxruntime-node/bin/${napiDir}`;
  const mustHave = [
    'extension/package.json',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/dist/engineWorker.js',
    'extension/dist/engine.js',
    'extension/dist/kn.js',
    'extension/dist/kn-language-server.js',
    'extension/dist/media/compare.js',
    'extension/dist/media/compare.css',
    'extension/dist/media/vscode-elements.js',
    'extension/dist/node_modules/onnxruntime-node/package.json',
    'extension/dist/node_modules/onnxruntime-node/dist/index.js',
    `${ortBin}/${platform}/${arch}/onnxruntime_binding.node`,
    'extension/dist/node_modules/onnxruntime-common/package.json',
    'extension/dist/node_modules/onnxruntime-common/dist/cjs/index.js',
    'extension/models/bert-tiny-facts/model.safetensors',
  ];
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
  if (absent.length) die(`${vsixPath} lacks:\n  ${absent.join('\n  ')}`);
  const foreign = listing.filter((f) => f.startsWith(`${ortBin}/`) && !f.startsWith(`${ortBin}/${platform}/${arch}/`));
  if (foreign.length) die(`${vsixPath} holds other platforms' binaries:\n  ${foreign.join('\n  ')}`);
  const strays = listing.filter((f) => /^extension\/(node_modules|out|src|test|\.cache|\.tsbuild|client|server|engine|scripts)\/|\.map$|\.ts$/.test(f));
  if (strays.length) die(`${vsixPath} holds files it should not:\n  ${strays.slice(0, 20).join('\n  ')}`);
  const vsixManifest = execFileSync('unzip', ['-p', vsixPath, 'extension.vsixmanifest'], { encoding: 'utf8' });
  if (!vsixManifest.includes(`TargetPlatform="${target}"`)) die(`${vsixPath}: extension.vsixmanifest does not name the target ${target}`);
  const size = fs.statSync(vsixPath).size;
  step(`${path.relative(process.cwd(), vsixPath) || vsixPath}: ${target}, ${listing.length} files, ${(size / 1024 / 1024).toFixed(1)} MiB`);
  return vsixPath;
}

/** The file names in a .vsix (a zip). */
function listVsix(vsixPath) {
  return execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean);
}

for (const t of targets) packageTarget(t);
