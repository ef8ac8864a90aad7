#!/usr/bin/env node
/**
 * `kn-language-server`: the `.prompts` language server for any LSP client (Neovim, Helix, Emacs
 * eglot, …). It talks over stdio unless another transport is named; `--version` and `--help`
 * answer and exit.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startWithHugePages } from '../../engine/src/hugePages';
import { startServer } from './server';
import { packageVersion } from './settings';

const HELP = `kn-language-server — the .prompts language server (Knowledge Neurons)

  kn-language-server [--stdio]          talk LSP over stdin/stdout (the default)
  kn-language-server --node-ipc | --socket=PORT | --pipe=NAME
  kn-language-server --version | --help

Settings come from initializationOptions.settings, workspace/didChangeConfiguration
({"settings": {"knowledgeNeurons": {…}}}) or workspace/configuration (section knowledgeNeurons).
Editor set-ups (Neovim, Helix, Emacs eglot): the README's "Other editors" section.`;

const TRANSPORT = /^--(stdio|node-ipc|socket=|pipe=|clientProcessId)/;

function main(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`kn-language-server ${packageVersion()}\n`);
    return;
  }
  const unknown = argv.filter((a) => !TRANSPORT.test(a) && !/^\d+$/.test(a));
  if (unknown.length) {
    process.stderr.write(`kn-language-server: unknown argument ${unknown[0]}\n\n${HELP}\n`);
    process.exitCode = 1;
    return;
  }
  // vscode-languageserver picks its transport from process.argv.
  if (!argv.some((a) => /^--(stdio|node-ipc|socket=|pipe=)/.test(a))) process.argv.push('--stdio');
  startServer(createConnection(ProposedFeatures.all));
}

if (require.main === module) startWithHugePages(() => main(process.argv.slice(2)));
