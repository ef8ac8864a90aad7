#!/usr/bin/env node
/*
 * Builds what the compare panel's webview loads, into media/:
 *   media/compare.js                 bundle of media/src/main.ts (+ engine/src/compare.ts), esbuild
 *   media/vendor/vscode-elements.js  copy of @vscode-elements/elements/dist/bundled.js (+ its licence)
 * Both outputs are small and committed, so the webview works without a build; run this as part
 * of packaging (`node media/build.js`) to refresh them.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const media = __dirname;

function vendorSource() {
  const pkgDir = path.dirname(require.resolve('@vscode-elements/elements/package.json', { paths: [root] }));
  return { bundle: path.join(pkgDir, 'dist', 'bundled.js'), license: path.join(pkgDir, 'LICENSE'), version: require(path.join(pkgDir, 'package.json')).version };
}

function copyVendor() {
  const src = vendorSource();
  const dir = path.join(media, 'vendor');
  fs.mkdirSync(dir, { recursive: true });
  const header = `/* @vscode-elements/elements ${src.version}, dist/bundled.js (MIT licence: vscode-elements.LICENSE). Copied by media/build.js. */\n`;
  fs.writeFileSync(path.join(dir, 'vscode-elements.js'), header + fs.readFileSync(src.bundle, 'utf8'));
  if (fs.existsSync(src.license)) fs.copyFileSync(src.license, path.join(dir, 'vscode-elements.LICENSE'));
}

function bundle() {
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  esbuild.buildSync({
    entryPoints: [path.join(media, 'src', 'main.ts')],
    outfile: path.join(media, 'compare.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome114'],
    charset: 'utf8',
    legalComments: 'none',
    sourcemap: false,
    minify: false,
    banner: { js: '/* Knowledge Neurons compare panel. Built by media/build.js from media/src/main.ts; do not edit. */' },
    logLevel: 'warning',
  });
}

function build() {
  copyVendor();
  bundle();
}

module.exports = { build, bundle, copyVendor };

if (require.main === module) {
  build();
  console.log('media/compare.js and media/vendor/vscode-elements.js written');
}
