/**
 * The content hash of a model folder: the names and bytes of the files that decide its numbers
 * (config, tokenizer, weights). Results are keyed by it (the language server's cache, `kn find`'s
 * results files), and so is the model's weights file (artifacts.ts): the same files give the same
 * key wherever they are, other files another key.
 *
 * A file's hash is kept while its size, mtime, ctime, inode and device stay the same: in memory, and
 * across processes in the cache folder (`artifacts/file-hashes.json`), so a `kn` run on bert-base
 * does not read its 418 MB again. The ctime cannot be set back, so a file rewritten in place with
 * its mtime restored is hashed again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256File } from '../hub/resolve';
import { artifactsFolder } from '../cacheFolder';
import { temporaryName } from '../scratch';

const MODEL_FILES = new Set(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']);
const isModelFile = (name: string) => MODEL_FILES.has(name) || name.endsWith('.safetensors') || name.endsWith('.safetensors.index.json');

const fileHashes = new Map<string, { stamp: string; hash: Promise<string> }>();
/** Files larger than this are remembered on disk (smaller ones are quicker to hash than to look up). */
const REMEMBER_ABOVE = 1 << 20;
const MEMO_ENTRIES = 1000;
export const MEMO_FILE = 'file-hashes.json';

function fileHash(file: string, st: fs.BigIntStats): Promise<string> {
  const stamp = `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  const have = fileHashes.get(file);
  if (have && have.stamp === stamp) return have.hash;
  const big = st.size > REMEMBER_ABOVE;
  const known = big ? readMemo()[file] : undefined;
  const hash =
    known?.stamp === stamp && /^[0-9a-f]{64}$/.test(known.sha256)
      ? Promise.resolve(known.sha256)
      : sha256File(file).then((sha256) => {
          if (big) remember(file, { stamp, sha256 });
          return sha256;
        });
  fileHashes.set(file, { stamp, hash });
  hash.catch(() => fileHashes.delete(file));
  return hash;
}

export async function modelHash(dir: string): Promise<string> {
  const parts = [];
  for (const name of fs.readdirSync(dir).filter(isModelFile).sort()) {
    const file = path.resolve(dir, name);
    const st = fs.statSync(file, { bigint: true });
    if (st.isFile()) parts.push(`${name} ${await fileHash(file, st)}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

type Memo = Record<string, { stamp: string; sha256: string }>;

const memoFile = () => path.join(artifactsFolder(), MEMO_FILE);

function readMemo(): Memo {
  try {
    const m = JSON.parse(fs.readFileSync(memoFile(), 'utf8'));
    return m && typeof m === 'object' && !Array.isArray(m) ? m : {};
  } catch {
    return {};
  }
}

/** Adds an entry (the newest last, the oldest dropped beyond MEMO_ENTRIES); written atomically, best effort. */
function remember(file: string, entry: { stamp: string; sha256: string }): void {
  const memo = readMemo();
  delete memo[file];
  memo[file] = entry;
  const kept = Object.fromEntries(Object.entries(memo).slice(-MEMO_ENTRIES));
  const target = memoFile();
  const tmp = temporaryName(target);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(kept));
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
