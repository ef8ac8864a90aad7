/** Small DOM / SVG helpers for the compare page (no framework; CSP-safe: no inline styles or HTML strings). */

export type Attrs = Record<string, string | number | boolean | undefined | null>;
export type Child = Node | string | number | null | undefined | false;

function apply(el: Element, attrs: Attrs | undefined, children: Child[]): void {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** An HTML element. `class` and other attributes as plain attributes; never a `style` attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  apply(el, attrs, children);
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs, children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Make an element act like a button for the keyboard: Tab stop, Enter / Space activate. */
export function keyActivate(el: Element, fn: (e: Event) => void): void {
  el.addEventListener('click', fn);
  el.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter' || k === ' ') {
      e.preventDefault();
      fn(e);
    }
  });
}

/** Truncate text for labels, with an ellipsis. */
export function truncate(t: string, n: number): string {
  return t.length <= n ? t : t.slice(0, Math.max(0, n - 1)) + '\u2026';
}

// ---------------------------------------------------------------------------------------------
// Colours from the VS Code theme (canvas drawing and SVG export need resolved values)

export type Rgb = [number, number, number, number];

let probe: HTMLElement | undefined;

/** Resolve a CSS colour expression such as `var(--vscode-charts-red)` to RGBA. */
export function resolveColor(expr: string, fallback: Rgb = [128, 128, 128, 1]): Rgb {
  if (!probe) {
    probe = document.createElement('span');
    probe.className = 'color-probe';
    document.body.append(probe);
  }
  probe.style.color = '';
  probe.style.color = expr;
  const c = getComputedStyle(probe).color;
  return parseRgb(c) ?? fallback;
}

export function parseRgb(c: string): Rgb | undefined {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)/.exec(c);
  if (!m) return undefined;
  let a = m[4] === undefined ? 1 : parseFloat(m[4]);
  if (m[4]?.endsWith('%')) a /= 100;
  return [Number(m[1]), Number(m[2]), Number(m[3]), a];
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u, 1];
}

export function rgbCss(c: Rgb): string {
  return `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;
}

// ---------------------------------------------------------------------------------------------
// Export: SVG with the theme's colours inlined, PNG through a canvas

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
];

/** A standalone SVG document of an on-screen SVG, computed styles written as attributes. */
export function serializeSvg(svg: SVGSVGElement, background: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const parent = i > 0 && el.parentElement ? getComputedStyle(el.parentElement) : undefined;
    const d = dst[i];
    for (const p of STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      // presentation attributes inherit: write only what differs from the parent
      if (!v || v === 'auto' || v === 'normal' || (parent && parent.getPropertyValue(p) === v && !d.hasAttribute(p))) continue;
      d.setAttribute(p, v);
    }
    d.removeAttribute('class');
    d.removeAttribute('tabindex');
  });
  clone.setAttribute('xmlns', SVG_NS);
  const vb = svg.viewBox.baseVal;
  const w = vb && vb.width ? vb.width : svg.clientWidth;
  const hh = vb && vb.height ? vb.height : svg.clientHeight;
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(hh));
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(vb?.x ?? 0));
  bg.setAttribute('y', String(vb?.y ?? 0));
  bg.setAttribute('width', String(w));
  bg.setAttribute('height', String(hh));
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Render an SVG document to a PNG data URL (scale × its size). */
export function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.max(1, Math.round(width * scale));
      c.height = Math.max(1, Math.round(height * scale));
      const ctx = c.getContext('2d');
      if (!ctx) return reject(new Error('no 2d context'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      resolve(c.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('could not render the SVG'));
    img.src = 'data:image/svg+xml;base64,' + utf8Base64(svgText);
  });
}

/**
 * One Tab stop for a group of items (WAI-ARIA roving tabindex): the active item (or the first) is
 * reached with Tab, the arrow keys, Home and End move between the items.
 */
export function rovingTabindex(container: HTMLElement, selector: string): void {
  const items = () => [...container.querySelectorAll<HTMLElement>(selector)];
  const all = items();
  if (all.length === 0) return;
  const current = all.find((e) => e.classList.contains('active')) ?? all[0];
  for (const e of all) e.tabIndex = e === current ? 0 : -1;
  container.addEventListener('focusin', (ev) => {
    const list = items();
    if (!list.includes(ev.target as HTMLElement)) return;
    for (const e of list) e.tabIndex = e === ev.target ? 0 : -1;
  });
  container.addEventListener('keydown', (ev) => {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const k = ev.key;
    const j =
      k === 'ArrowRight' || k === 'ArrowDown'
        ? Math.min(list.length - 1, i + 1)
        : k === 'ArrowLeft' || k === 'ArrowUp'
          ? Math.max(0, i - 1)
          : k === 'Home'
            ? 0
            : k === 'End'
              ? list.length - 1
              : -1;
    if (j < 0) return;
    ev.preventDefault();
    list[j].focus();
  });
}
