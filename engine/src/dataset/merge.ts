/**
 * `kn merge`: shards of one run into the file a single process would have written. The shards must
 * share the model, the settings and the input files, be the N different shards of one split, each
 * complete, and hold no fact twice; the facts come out in input order (file, then line).
 */
import { KnError } from '../errors';
import { incompatibility, readResults, ResultsFile, ResultsHeader } from './results';

export function mergeResults(files: string[]): { header: ResultsHeader; raw: string[] } {
  if (!files.length) throw new KnError('kn merge needs the shards’ results files');
  const shards: { file: string; r: ResultsFile }[] = files.map((file) => {
    const r = readResults(file);
    if (!r) throw new KnError(`${file}: empty, or no results file`, { file });
    if (r.truncated) throw new KnError(`${file}: its last line was cut short (the task was killed): run the shard again to finish it`, { file });
    return { file, r };
  });
  const first = shards[0];
  const count = first.r.header.shard?.count ?? 1;
  const seenShard = new Map<number, string>();
  for (const { file, r } of shards) {
    const h = r.header;
    const diff = incompatibility(first.r.header, h);
    if (JSON.stringify(h.files) !== JSON.stringify(first.r.header.files)) diff.push(`input files ${h.files.join(' ')} vs ${first.r.header.files.join(' ')}`);
    if (diff.length) throw new KnError(`${file} and ${first.file} are not shards of one run: ${diff.join('; ')}`, { file });
    const index = h.shard?.index ?? 0;
    if ((h.shard?.count ?? 1) !== count) throw new KnError(`${file} is shard ${index}/${h.shard?.count ?? 1}, ${first.file} one of ${count}`, { file });
    if (seenShard.has(index)) throw new KnError(`${file} and ${seenShard.get(index)} are both shard ${index}/${count}`, { file });
    seenShard.set(index, file);
    if (r.lines.length !== h.facts)
      throw new KnError(`${file} (shard ${index}/${count}) holds ${r.lines.length} of its ${h.facts} facts: run that shard again to finish it`, { file });
  }
  const missing = [...Array(count).keys()].filter((k) => !seenShard.has(k));
  if (missing.length)
    throw new KnError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: give all ${count} shards`);

  const fileOrder = new Map(first.r.header.files.map((f, i) => [f, i]));
  const seenKey = new Map<string, string>();
  const all: { raw: string; file: number; line: number }[] = [];
  for (const { file, r } of shards) {
    r.lines.forEach((l, i) => {
      const other = seenKey.get(l.key);
      if (other) throw new KnError(`fact ${l.fact?.name ?? l.error?.name} (${l.file}:${l.line}) is in both ${other} and ${file}`, { file, line: i + 1 });
      seenKey.set(l.key, file);
      all.push({ raw: r.raw[i], file: fileOrder.get(l.file) ?? Infinity, line: l.line });
    });
  }
  all.sort((a, b) => a.file - b.file || a.line - b.line);
  const total = shards.reduce((n, s) => n + s.r.header.facts, 0);
  return { header: { ...first.r.header, shard: null, facts: total }, raw: all.map((x) => x.raw) };
}
