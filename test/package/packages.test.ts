// One .vsix per platform (scripts/package.mjs --target T): each names its target and holds only that
// platform's ONNX Runtime binaries; the manifest is ready for the Marketplace and Open VSX.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';
import { tempDir } from '../synthetic';

const root = repoRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const packageScript = path.join(root, 'scripts', 'package.mjs');
/** Two targets of different systems and processors, one of them not this machine's. */
const BUILT = ['linux-x64', 'darwin-arm64'];
const ortBin = 'extension/dist/node_modules/onnxruntime-node/bin/napi-v6';

/** Every `<platform>/<arch>` onnxruntime-node ships, read from its own bin/ folder. */
function shippedPlatforms(): string[] {
  const dir = path.join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  return fs.readdirSync(dir).flatMap((p) => fs.readdirSync(path.join(dir, p)).map((a) => `${p}-${a}`));
}

const list = (vsix: string) =>
  execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean);
const read = (vsix: string, file: string) => execFileSync('unzip', ['-p', vsix, file], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('per-platform packages', { timeout: 600_000 }, () => {
  const outDir = tempDir('packages');
  const vsix = (t: string) => path.join(outDir, `${manifest.name}-${t}-${manifest.version}.vsix`);

  before(() => {
    const r = spawnSync(process.execPath, [packageScript, ...BUILT.flatMap((t) => ['--target', t]), '--out-dir', outDir], {
      cwd: root,
      encoding: 'utf8',
      timeout: 540_000,
    });
    assert.equal(r.status, 0, `package.mjs failed:\n${r.stdout}\n${r.stderr}`);
  });

  for (const target of BUILT) {
    it(`${target}: names its target and holds only its own binaries`, () => {
      const files = list(vsix(target));
      const [platform, arch] = target.split('-');
      const binaries = files.filter((f) => f.startsWith(`${ortBin}/`));
      assert.ok(binaries.includes(`${ortBin}/${platform}/${arch}/onnxruntime_binding.node`), binaries.join('\n'));
      const foreign = binaries.filter((f) => !f.startsWith(`${ortBin}/${platform}/${arch}/`));
      assert.deepEqual(foreign, []);
      // No native library of any kind outside that folder (e.g. from another package).
      const natives = files.filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f) && !f.startsWith(`${ortBin}/${platform}/${arch}/`));
      assert.deepEqual(natives, []);
      assert.match(read(vsix(target), 'extension.vsixmanifest'), new RegExp(`TargetPlatform="${target}"`));
    });
  }

  it('the packages hold the built extension and nothing from the sources or the tests', () => {
    for (const target of BUILT) {
      const files = list(vsix(target));
      for (const f of [
        'dist/client.js',
        'dist/server.js',
        'dist/engineWorker.js',
        'dist/engine.js',
        'dist/kn.js',
        'dist/media/compare.js',
        'dist/media/vscode-elements.js',
        'CHANGELOG.md',
        'images/icon.png',
        'package.json',
      ]) {
        assert.ok(
          files.some((x) => x.toLowerCase() === `extension/${f}`.toLowerCase()),
          `${target} lacks ${f}`,
        );
      }
      const strays = files.filter((f) => /^extension\/(node_modules|out|test|client|server|engine|media|scripts|\.tsbuild)\/|\.ts$|\.map$/.test(f));
      assert.deepEqual(strays, []);
    }
  });

  it('a platform onnxruntime-node ships no binaries for is refused, naming the ones it ships', () => {
    const all = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
    const shipped = shippedPlatforms();
    const missing = all.filter((t) => !shipped.includes(t));
    const probe = missing[0] ?? 'linux-armhf';
    const r = spawnSync(process.execPath, [packageScript, '--target', probe, '--out-dir', outDir], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`no package for ${probe}: onnxruntime-node [\\d.]+ ships binaries for ${shipped.sort().join(', ')} only`));
    assert.equal(fs.existsSync(vsix(probe)), false);
  });
});

describe('the manifest is ready for the Marketplace and Open VSX', () => {
  it('has a repository, an icon, categories, keywords, a licence and a changelog', () => {
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    assert.equal(manifest.license, 'MIT');
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')));
    assert.ok(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8').includes(`## ${manifest.version}`));
    assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0 && manifest.keywords.length <= 30);
    // The icon: a PNG of at least 128×128 (the Marketplace's size).
    const png = fs.readFileSync(path.join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128);
  });
});
