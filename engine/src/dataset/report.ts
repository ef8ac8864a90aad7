/**
 * `kn report`: a results file as one self-contained HTML page (inline SVG, no script, nothing
 * fetched; light and dark by prefers-color-scheme) and a CSV of every figure's numbers:
 *  - per relation, the mean relative change of P(answer) when the refined neurons are suppressed or
 *    enhanced, on the fact's own prompts and on an unrelated fact's (Dai et al., section 4);
 *  - refined neurons per fact (histogram) and the layers they sit in;
 *  - for multilingual facts, per language pair, the refined neurons both languages share (the
 *    diagonal: each language's own), and per language those it shares with every other language vs.
 *    its own alone.
 */
import { toCsv } from '../csv';
import type { FactLine, ResultsFile } from './results';

type Change = { before: number; suppressed: number; enhanced: number };

export interface ReportData {
  title: string;
  facts: number;
  failed: number;
  /** Per relation (and `all`): mean relative change of P, own and unrelated prompts. */
  effects: {
    relation: string;
    facts: number;
    own: { suppressed: number; enhanced: number; n: number };
    unrelated: { suppressed: number; enhanced: number; n: number };
  }[];
  /** Facts with k refined neurons, k = 0 … max. */
  histogram: number[];
  /** Refined neurons per layer. */
  layers: number[];
  languages: string[];
  /** [i][j]: refined neurons that languages i and j share, summed over the facts that have both. */
  overlap: number[][];
  /** Per language: refined neurons shared by all the fact's languages vs. this language's alone. */
  perLanguage: { lang: string; shared: number; specific: number; facts: number }[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const rel = (es: Change[], k: 'suppressed' | 'enhanced') => es.filter((e) => e.before > 0).map((e) => (e[k] - e.before) / e.before);

export function reportData(results: ResultsFile): ReportData {
  const facts = results.lines.flatMap((l: FactLine) => (l.fact ? [l.fact] : []));
  const byRelation = new Map<string, typeof facts>();
  for (const f of facts) byRelation.set(f.relation, [...(byRelation.get(f.relation) ?? []), f]);
  const effectsOf = (relation: string, fs: typeof facts) => {
    const own = fs.flatMap((f) => f.effects);
    const unrelated = fs.flatMap((f) => f.control?.effects ?? []);
    return {
      relation,
      facts: fs.length,
      own: { suppressed: mean(rel(own, 'suppressed')), enhanced: mean(rel(own, 'enhanced')), n: own.length },
      unrelated: { suppressed: mean(rel(unrelated, 'suppressed')), enhanced: mean(rel(unrelated, 'enhanced')), n: unrelated.length },
    };
  };
  const effects = [...[...byRelation].sort(([a], [b]) => a.localeCompare(b)).map(([r, fs]) => effectsOf(r, fs)), effectsOf('all', facts)];

  const counts = facts.map((f) => f.refined.length);
  const histogram = Array(Math.max(0, ...counts) + 1).fill(0);
  for (const c of counts) histogram[c]++;
  const layerOf = facts.flatMap((f) => f.refined.map(([l]) => l));
  const layers = Array(Math.max(-1, ...layerOf) + 1).fill(0);
  for (const l of layerOf) layers[l]++;

  const langsOf = (f: (typeof facts)[number]) =>
    Object.keys(f.groups)
      .filter((g) => g !== 'all')
      .sort();
  const languages = [...new Set(facts.flatMap(langsOf))].sort();
  const overlap = languages.map(() => languages.map(() => 0));
  const perLanguage = languages.map((lang) => ({ lang, shared: 0, specific: 0, facts: 0 }));
  const key = ([l, n]: [number, number]) => `${l}:${n}`;
  for (const f of facts) {
    const ls = langsOf(f);
    if (ls.length < 2) continue;
    const sets = new Map(ls.map((l) => [l, new Set(f.groups[l].refined.map(key))]));
    for (const a of ls)
      for (const b of ls) {
        const i = languages.indexOf(a);
        const j = languages.indexOf(b);
        overlap[i][j] += [...sets.get(a)!].filter((n) => sets.get(b)!.has(n)).length;
      }
    for (const a of ls) {
      const row = perLanguage[languages.indexOf(a)];
      const mine = [...sets.get(a)!];
      row.facts++;
      row.shared += mine.filter((n) => ls.every((b) => sets.get(b)!.has(n))).length;
      row.specific += mine.filter((n) => ls.every((b) => b === a || !sets.get(b)!.has(n))).length;
    }
  }
  const multilingual = perLanguage.some((r) => r.facts > 0);
  return {
    title: `${results.header.model.id}: ${results.header.facts} facts`,
    facts: facts.length,
    failed: results.lines.filter((l) => l.error).length,
    effects,
    histogram,
    layers,
    languages: multilingual ? languages : [],
    overlap: multilingual ? overlap : [],
    perLanguage: multilingual ? perLanguage : [],
  };
}

/** Every figure's numbers, one row each: figure, group, series, value. */
export function reportCsv(d: ReportData): string {
  const rows: (string | number)[][] = [['figure', 'group', 'series', 'value']];
  for (const e of d.effects)
    for (const where of ['own', 'unrelated'] as const)
      for (const k of ['suppressed', 'enhanced'] as const) rows.push(['relative_change_of_p', e.relation, `${where}_${k}`, e[where][k]]);
  d.histogram.forEach((n, k) => rows.push(['refined_neurons_per_fact', String(k), 'facts', n]));
  d.layers.forEach((n, l) => rows.push(['refined_neurons_per_layer', String(l), 'neurons', n]));
  d.languages.forEach((a, i) => d.languages.forEach((b, j) => rows.push(['language_overlap', `${a}-${b}`, 'shared_neurons', d.overlap[i][j]])));
  for (const r of d.perLanguage) {
    rows.push(['language_specific', r.lang, 'shared_by_all', r.shared]);
    rows.push(['language_specific', r.lang, 'language_only', r.specific]);
  }
  return toCsv(rows);
}

// ------------------------------------------------------------------ SVG

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x: number) => (!Number.isFinite(x) ? '–' : Number.isInteger(x) || Math.abs(x) >= 10 ? x.toFixed(0) : x.toPrecision(2));

interface Series {
  name: string;
  cls: string;
}

/** Vertical bars, grouped: values[g][s] for group g and series s. */
function barChart(groups: string[], series: Series[], values: number[][], opts: { percent?: boolean; label: string }): string {
  const W = Math.max(360, 60 + groups.length * (series.length * 14 + 18));
  const H = 230 + 16 * series.length;
  const top = 24;
  const bottom = 34 + 16 * series.length;
  const left = 52;
  const finite = values.flat().filter(Number.isFinite);
  const hi = Math.max(0, ...finite);
  const lo = Math.min(0, ...finite);
  const span = hi - lo || 1;
  const y = (v: number) => top + ((hi - v) / span) * (H - top - bottom);
  const gw = (W - left - 10) / Math.max(1, groups.length);
  const bw = Math.min(22, (gw - 10) / series.length);
  const parts: string[] = [];
  for (const t of [lo, (lo + hi) / 2, hi, 0]) {
    parts.push(`<line class="grid" x1="${left}" x2="${W - 6}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="tick" x="${left - 4}" y="${y(t) + 4}" text-anchor="end">${opts.percent ? `${fmt(100 * t)}%` : fmt(t)}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * gw + (gw - bw * series.length) / 2;
    series.forEach((s, si) => {
      const v = values[gi][si];
      if (!Number.isFinite(v)) return;
      const x = x0 + si * bw;
      const [a, b] = [y(Math.max(v, 0)), y(Math.min(v, 0))];
      parts.push(
        `<rect class="${s.cls}" x="${x.toFixed(1)}" y="${a.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${Math.max(0.5, b - a).toFixed(1)}"><title>${esc(`${g} · ${s.name}: ${opts.percent ? `${(100 * v).toFixed(1)}%` : v}`)}</title></rect>`,
      );
    });
    parts.push(`<text class="tick" x="${(left + gi * gw + gw / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${esc(g)}</text>`);
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect class="${s.cls}" x="${left}" y="${H - 16 * (series.length - i) + 2}" width="10" height="10"/><text class="tick" x="${left + 14}" y="${H - 16 * (series.length - i) + 11}">${esc(s.name)}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.label)}">${parts.join('')}${legend}</svg>`;
}

/** A matrix of counts, shaded by value. */
function heatmap(labels: string[], m: number[][], label: string): string {
  const c = 44;
  const left = 40;
  const top = 24;
  const W = left + labels.length * c + 10;
  const H = top + labels.length * c + 10;
  const max = Math.max(1, ...m.flat());
  const cells = m.flatMap((row, i) =>
    row.map((v, j) => {
      const o = (0.1 + (0.9 * v) / max).toFixed(2);
      return `<rect class="cell" x="${left + j * c}" y="${top + i * c}" width="${c - 2}" height="${c - 2}" fill-opacity="${o}"><title>${esc(`${labels[i]} ∩ ${labels[j]}: ${v}`)}</title></rect><text class="cellv" x="${left + j * c + c / 2 - 1}" y="${top + i * c + c / 2 + 4}" text-anchor="middle">${v}</text>`;
    }),
  );
  const axes = labels.map(
    (l, i) =>
      `<text class="tick" x="${left + i * c + c / 2}" y="${top - 6}" text-anchor="middle">${esc(l)}</text><text class="tick" x="${left - 6}" y="${top + i * c + c / 2 + 4}" text-anchor="end">${esc(l)}</text>`,
  );
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${axes.join('')}${cells.join('')}</svg>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --grid: #d0d7de; --a: #0969da; --b: #bf3989; --c: #1a7f37; --d: #9a6700; --cell: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --grid: #30363d; --a: #4493f8; --b: #f778ba; --c: #3fb950; --d: #d29922; --cell: #4493f8; } }
body { font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; } p, figcaption { color: var(--muted); }
svg { display: block; max-width: 100%; height: auto; } text { fill: var(--fg); font-size: 11px; }
.tick { fill: var(--muted); } .grid { stroke: var(--grid); stroke-width: 1; }
.s-own-sup { fill: var(--a); } .s-unr-sup { fill: var(--a); fill-opacity: 0.4; } .s-own-enh { fill: var(--b); } .s-unr-enh { fill: var(--b); fill-opacity: 0.4; }
.s-count { fill: var(--c); } .s-shared { fill: var(--c); } .s-specific { fill: var(--d); }
.cell { fill: var(--cell); } .cellv { font-weight: 600; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; border-bottom: 1px solid var(--grid); } th:first-child, td:first-child { text-align: left; }
`;

export function reportHtml(d: ReportData): string {
  const rels = d.effects.map((e) => e.relation);
  const effectFig = barChart(
    rels,
    [
      { name: 'suppressed, own prompts', cls: 's-own-sup' },
      { name: 'suppressed, unrelated', cls: 's-unr-sup' },
      { name: 'enhanced, own prompts', cls: 's-own-enh' },
      { name: 'enhanced, unrelated', cls: 's-unr-enh' },
    ],
    d.effects.map((e) => [e.own.suppressed, e.unrelated.suppressed, e.own.enhanced, e.unrelated.enhanced]),
    { percent: true, label: 'mean relative change of P(answer) per relation' },
  );
  const table = `<table><tr><th>relation</th><th>facts</th><th>own: suppressed</th><th>own: enhanced</th><th>unrelated: suppressed</th><th>unrelated: enhanced</th></tr>${d.effects
    .map(
      (e) =>
        `<tr><td>${esc(e.relation)}</td><td>${e.facts}</td>${[e.own.suppressed, e.own.enhanced, e.unrelated.suppressed, e.unrelated.enhanced].map((v) => `<td>${Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–'}</td>`).join('')}</tr>`,
    )
    .join('')}</table>`;
  const hist = barChart(
    d.histogram.map((_, k) => String(k)),
    [{ name: 'facts', cls: 's-count' }],
    d.histogram.map((n) => [n]),
    { label: 'refined neurons per fact' },
  );
  const layers = barChart(
    d.layers.map((_, l) => `L${l}`),
    [{ name: 'refined neurons', cls: 's-count' }],
    d.layers.map((n) => [n]),
    { label: 'refined neurons per layer' },
  );
  const multi = d.languages.length
    ? `<h2>Shared vs. language-specific neurons</h2>
<figure>${heatmap(d.languages, d.overlap, 'refined neurons shared per language pair')}<figcaption>Refined neurons that two languages of a fact share, summed over facts with both (diagonal: each language's refined neurons).</figcaption></figure>
<figure>${barChart(
        d.perLanguage.map((r) => r.lang),
        [
          { name: 'shared by all its languages', cls: 's-shared' },
          { name: 'this language only', cls: 's-specific' },
        ],
        d.perLanguage.map((r) => [r.shared, r.specific]),
        { label: 'shared and language-specific neurons per language' },
      )}<figcaption>Per language, over multilingual facts: refined neurons in every language of the fact vs. in this language alone.</figcaption></figure>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title><style>${STYLE}</style></head>
<body>
<h1>Knowledge neurons — ${esc(d.title)}</h1>
<p>${d.facts} facts with results, ${d.failed} failed. Every figure's numbers are in the CSV beside this page.</p>
<h2>Effect of the refined neurons on P(answer)</h2>
<figure>${effectFig}<figcaption>Mean relative change of the answer's probability when the fact's refined neurons are suppressed (×0) or enhanced, on its own prompts and on an unrelated fact's prompts (Dai et al. 2021, section 4).</figcaption></figure>
${table}
<h2>Refined neurons per fact</h2>
<figure>${hist}</figure>
<h2>Layers of the refined neurons</h2>
<figure>${layers}</figure>
${multi}
</body></html>
`;
}
