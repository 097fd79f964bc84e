// The prompts grid: one header row, then virtualised rows (only those in view are in the DOM;
// aria-rowcount gives the total), group rows with subtotals, roving focus for the keyboard. The header
// is in the rows' scroll area (sticky at its top), so that scrolling sideways moves both together.
import type { SortKey } from './protocol';
import { h } from './dom';

export interface Column { key: SortKey; title: string; numeric?: boolean }

export const COLUMNS: Column[] = [
  { key: 'location', title: 'Prompt' },
  { key: 'kind', title: 'Kind' },
  { key: 'model', title: 'Model' },
  { key: 'confidence', title: 'Confidence' },
  { key: 'tokensIn', title: 'Tokens in', numeric: true },
  { key: 'tokensOut', title: 'Tokens out', numeric: true },
  { key: 'perCall', title: 'Per call', numeric: true },
  { key: 'perDay', title: 'Per day', numeric: true },
  { key: 'monthly', title: 'Per month', numeric: true },
  { key: 'cache', title: 'Cache' },
  { key: 'diagnostics', title: 'Diagnostics' },
];

/** A line of the grid: a prompt (by index into the report) or a group's header with its subtotal. */
export type Item = { kind: 'row'; index: number } | { kind: 'group'; label: string; count: number; monthlyUsd: number; perDayUsd: number; unpriced: number };

export interface TableCallbacks {
  cells(index: number): { text: string; title?: string; className?: string }[];
  rowLabel(index: number): string;
  groupText(item: Extract<Item, { kind: 'group' }>): string;
  onSort(key: SortKey): void;
  onActivate(index: number): void;
  onFocus(index: number): void;
  onScroll(scrollTop: number): void;
}

export const ROW_HEIGHT = 26;
/** The header row's height (a row's): the rows are laid out below it in the scroll area. */
const HEADER_HEIGHT = ROW_HEIGHT;
const OVERSCAN = 8;

export class PromptGrid {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly viewport: HTMLElement;
  /** The rows' rowgroup (positioned in the viewport). */
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private items: Item[] = [];
  private focusedItem = -1;
  private frame = 0;
  private rendered = new Map<number, HTMLElement>();

  constructor(private readonly cb: TableCallbacks) {
    this.header = h('div', { role: 'row', 'aria-rowindex': 1, class: 'row header' });
    this.body = h('div', { role: 'rowgroup' });
    this.spacer = h('div', { class: 'spacer' });
    this.viewport = h('div', { class: 'viewport' }, h('div', { role: 'rowgroup', class: 'head' }, this.header), this.spacer, this.body);
    this.element = h('div', { role: 'grid', 'aria-label': 'Prompts', 'aria-colcount': COLUMNS.length, class: 'grid' }, this.viewport);
    this.viewport.addEventListener('scroll', () => {
      this.cb.onScroll(this.viewport.scrollTop);
      if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.renderRows(); });
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-item]');
      if (!row) return;
      const i = Number(row.dataset.item);
      this.focusItem(i);
      const item = this.items[i];
      if (item?.kind === 'row') this.cb.onActivate(item.index);
    });
  }

  setHeader(sort: { key: SortKey; descending: boolean }): void {
    this.header.replaceChildren(...COLUMNS.map((c, i) => {
      const sorted = sort.key === c.key;
      const button = h('button', { type: 'button', class: 'sort', text: c.title, title: `Sort by ${c.title.toLowerCase()}` });
      button.addEventListener('click', () => this.cb.onSort(c.key));
      return h('div', { role: 'columnheader', 'aria-colindex': i + 1, 'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : 'none', class: `cell col-${c.key}${c.numeric ? ' num' : ''}` }, button,
        sorted ? h('span', { class: 'arrow', 'aria-hidden': 'true', text: sort.descending ? '▼' : '▲' }) : null);
    }));
  }

  setItems(items: Item[], keepFocusIndex?: number): void {
    this.items = items;
    this.element.setAttribute('aria-rowcount', String(items.length + 1));
    this.spacer.style.height = `${items.length * ROW_HEIGHT}px`;
    if (keepFocusIndex !== undefined) this.focusedItem = items.findIndex((it) => it.kind === 'row' && it.index === keepFocusIndex);
    else if (this.focusedItem >= items.length) this.focusedItem = items.length - 1;
    this.rerender();
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(v: number) {
    this.viewport.scrollTop = v;
    this.renderRows();
  }

  /** Redraws every row in view (the figures changed). */
  rerender(): void {
    for (const el of this.rendered.values()) el.remove();
    this.rendered.clear();
    this.renderRows();
  }

  /** Scrolls a prompt's row into view and gives it the keyboard focus. */
  focusPrompt(index: number): boolean {
    const i = this.items.findIndex((it) => it.kind === 'row' && it.index === index);
    if (i < 0) return false;
    this.focusItem(i, true);
    return true;
  }

  private focusItem(i: number, focusDom = true): void {
    if (i < 0 || i >= this.items.length) return;
    this.focusedItem = i;
    // In view means below the sticky header.
    const top = HEADER_HEIGHT + i * ROW_HEIGHT;
    const view = this.viewport;
    if (top < view.scrollTop + HEADER_HEIGHT) view.scrollTop = top - HEADER_HEIGHT;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
    this.renderRows();
    for (const [k, el] of this.rendered) el.tabIndex = k === i ? 0 : -1;
    if (focusDom) this.rendered.get(i)?.focus({ preventScroll: true });
    const item = this.items[i];
    if (item.kind === 'row') this.cb.onFocus(item.index);
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.viewport.clientHeight - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const at = Math.max(0, this.focusedItem);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: this.items.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      this.focusItem(Math.min(this.items.length - 1, Math.max(0, moves[e.key])));
    } else if (e.key === 'Enter' || e.key === ' ') {
      const item = this.items[this.focusedItem];
      if (item?.kind === 'row') {
        e.preventDefault();
        this.cb.onActivate(item.index);
      }
    }
  }

  private renderRows(): void {
    const view = this.viewport;
    const height = view.clientHeight || 600;
    const first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.items.length - 1, Math.ceil((view.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    for (const [k, el] of this.rendered) {
      if (k < first || k > last) {
        el.remove();
        this.rendered.delete(k);
      }
    }
    const hadFocus = this.body.contains(document.activeElement);
    for (let i = first; i <= last; i++) {
      if (this.rendered.has(i)) continue;
      const el = this.row(i);
      el.style.top = `${HEADER_HEIGHT + i * ROW_HEIGHT}px`;
      this.body.append(el);
      this.rendered.set(i, el);
    }
    if (this.focusedItem < 0 && this.items.length) this.focusedItem = 0;
    for (const [k, el] of this.rendered) el.tabIndex = k === this.focusedItem ? 0 : -1;
    if (hadFocus && !this.body.contains(document.activeElement)) this.rendered.get(this.focusedItem)?.focus({ preventScroll: true });
  }

  private row(i: number): HTMLElement {
    const item = this.items[i];
    if (item.kind === 'group') {
      return h('div', { role: 'row', 'aria-rowindex': i + 2, 'data-item': i, class: 'row group' },
        h('div', { role: 'gridcell', 'aria-colspan': COLUMNS.length, class: 'cell wide', text: this.cb.groupText(item) }));
    }
    const cells = this.cb.cells(item.index);
    return h('div', { role: 'row', 'aria-rowindex': i + 2, 'data-item': i, 'aria-label': this.cb.rowLabel(item.index), class: 'row' },
      ...cells.map((c, k) => h('div', { role: 'gridcell', 'aria-colindex': k + 1, class: `cell col-${COLUMNS[k].key}${COLUMNS[k].numeric ? ' num' : ''}${c.className ? ` ${c.className}` : ''}`, title: c.title, text: c.text })));
  }
}
