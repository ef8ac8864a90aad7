/**
 * The content hash of a model folder: the names and bytes of the files that decide its numbers
 * (config, tokenizer, weights). Results are keyed by it (the language server's cache, `kn find`'s
 * results files): the same files give the same key wherever they are, other files another key.
 * File hashes are kept while a file's size, mtime and inode stay the same (bert-base takes a second).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256File } from '../hub/resolve';

const MODEL_FILES = new Set(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']);
const isModelFile = (name: string) => MODEL_FILES.has(name) || name.endsWith('.safetensors') || name.endsWith('.safetensors.index.json');

const fileHashes = new Map<string, { stamp: string; hash: Promise<string> }>();

function fileHash(file: string, st: fs.Stats): Promise<string> {
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const have = fileHashes.get(file);
  if (have && have.stamp === stamp) return have.hash;
  const hash = sha256File(file);
  fileHashes.set(file, { stamp, hash });
  hash.catch(() => fileHashes.delete(file));
  return hash;
}

export async function modelHash(dir: string): Promise<string> {
  const parts = [];
  for (const name of fs.readdirSync(dir).filter(isModelFile).sort()) {
    const file = path.join(dir, name);
    const st = fs.statSync(file);
    if (st.isFile()) parts.push(`${name} ${await fileHash(file, st)}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
