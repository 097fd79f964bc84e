// The report's pictures as inline SVG (no library, no network): cost by model, where the money goes
// by folder (a treemap), the ten dearest prompts, and the savings levers as one stacked bar.
import { formatUsd } from '../core/format';
import type { WhatIfTotals } from '../core/whatif';
import { h, s } from './dom';
import { squarify } from './treemap';

const COLORS = 8;

export interface Slice { label: string; usd: number; title?: string }

function figure(caption: string, svg: SVGElement | HTMLElement): HTMLElement {
  return h('figure', { class: 'chart' }, h('figcaption', { text: caption }), svg);
}

function empty(caption: string, why: string): HTMLElement {
  return figure(caption, h('p', { class: 'muted', text: why }));
}

/** Horizontal bars, largest first: labels on the left, amounts on the right. */
export function barChart(caption: string, slices: Slice[], label: string): HTMLElement {
  const rows = slices.filter((x) => x.usd > 0);
  if (!rows.length) return empty(caption, 'No priced prompts.');
  const width = 420;
  const rowHeight = 20;
  const labelWidth = 150;
  const valueWidth = 72;
  const max = Math.max(...rows.map((r) => r.usd));
  const svg = s('svg', { role: 'img', 'aria-label': `${label}: ${rows.map((r) => `${r.label} ${formatUsd(r.usd)}`).join(', ')}`, viewBox: `0 0 ${width} ${rows.length * rowHeight}`, width, height: rows.length * rowHeight, class: 'bars' });
  rows.forEach((r, i) => {
    const y = i * rowHeight;
    const barWidth = Math.max(1, ((width - labelWidth - valueWidth) * r.usd) / max);
    svg.append(
      s('text', { x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', class: 'label', text: truncate(r.label, 24) }),
      s('rect', { x: labelWidth, y: y + 3, width: barWidth.toFixed(1), height: rowHeight - 6, class: `fill c${i % COLORS}` }, s('title', { text: `${r.title ?? r.label}: ${formatUsd(r.usd)}/month` })),
      s('text', { x: labelWidth + barWidth + 4, y: y + 14, class: 'value', text: formatUsd(r.usd) }),
    );
  });
  return figure(caption, svg);
}

/** Where the money goes: one rectangle per folder, its area the folder's monthly cost. */
export function treemap(caption: string, slices: Slice[]): HTMLElement {
  const width = 420;
  const height = 220;
  const cells = squarify(slices.map((x) => ({ value: x.usd, item: x })), { x: 0, y: 0, width, height });
  if (!cells.length) return empty(caption, 'No priced prompts.');
  const svg = s('svg', { role: 'img', 'aria-label': `Monthly cost by folder: ${cells.map((c) => `${c.item.label} ${formatUsd(c.value)}`).join(', ')}`, viewBox: `0 0 ${width} ${height}`, width, height, class: 'treemap' });
  cells.forEach((c, i) => {
    const g = s('g', {}, s('title', { text: `${c.item.label}: ${formatUsd(c.value)}/month` }),
      s('rect', { x: c.x.toFixed(1), y: c.y.toFixed(1), width: Math.max(0, c.width - 1).toFixed(1), height: Math.max(0, c.height - 1).toFixed(1), class: `fill c${i % COLORS}` }));
    if (c.width > 60 && c.height > 28) {
      g.append(s('text', { x: (c.x + 4).toFixed(1), y: (c.y + 14).toFixed(1), class: 'tile', text: truncate(c.item.label, Math.floor(c.width / 7)) }),
        s('text', { x: (c.x + 4).toFixed(1), y: (c.y + 27).toFixed(1), class: 'tile', text: formatUsd(c.value) }));
    }
    svg.append(g);
  });
  return figure(caption, svg);
}

/** The savings on the table, one segment per lever with its $/month; the compression lever only where rewrites exist. */
export function leversChart(t: WhatIfTotals, cheaperPending = false): HTMLElement {
  const caption = 'Savings on the table ($/month)';
  const levers: Slice[] = [
    ...(cheaperPending ? [] : [{ label: 'Cheaper model, same provider', usd: t.levers.cheaperModel }]),
    { label: 'Caching fixed', usd: t.levers.caching },
    ...(t.hasBatchable ? [{ label: 'Batch API (batchable prompts)', usd: t.levers.batch }] : []),
    ...(t.hasCompression ? [{ label: 'Compression (cached rewrites)', usd: t.levers.compression }] : []),
  ];
  const total = levers.reduce((n, l) => n + l.usd, 0);
  if (!total) return empty(caption, 'No savings found at these figures.');
  const width = 420;
  const svg = s('svg', { role: 'img', 'aria-label': `Savings levers${cheaperPending ? ' (comparing models…)' : ''}: ${levers.map((l) => `${l.label} ${formatUsd(l.usd)} per month`).join(', ')}`, viewBox: `0 0 ${width} 28`, width, height: 28, class: 'stack' });
  let x = 0;
  const offset = cheaperPending ? 1 : 0; // a lever keeps its colour while the first is computed
  levers.forEach((l, i) => {
    const w = (width * l.usd) / total;
    if (w > 0) svg.append(s('rect', { x: x.toFixed(1), y: 2, width: Math.max(0, w - 1).toFixed(1), height: 24, class: `fill c${i + offset}` }, s('title', { text: `${l.label}: ${formatUsd(l.usd)}/month` })));
    x += w;
  });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Savings levers' },
    ...levers.map((l, i) => h('li', {}, h('span', { class: `swatch c${i + offset}`, 'aria-hidden': 'true' }), `${l.label}: `, h('strong', { text: `${formatUsd(l.usd)}/mo` }))));
  const box = h('div', {}, svg, legend);
  return figure(caption, box);
}

/** Both ends kept (a model's family and its version, a file's folder and its name:line), the middle cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - (max - 1 - head)).join('');
}
