// The report renderer: totals, what-if controls, charts and the prompts grid over one ReportViewData.
// The same code runs in the VS Code panel (with a host to talk to) and in `scan --format html` (without).
import { formatTokens, formatUsd, groupDigits } from '../core/format';
import type { BudgetVerdict } from '../core/model';
import { assistantPricingNote } from '../core/copilot';
import { budgetVerdictAt } from '../core/report/budget';
import { placeText } from '../core/report/place';
import type { ReportViewData, ViewPrompt } from '../core/report/view';
import { isNeutral, priceWhatIf, swapChoices, totalsOf, withCheaperModel, type Priced, type WhatIfTotals } from '../core/whatif';
import { barChart, leversChart, treemap, type Slice } from './charts';
import { h } from './dom';
import type { FromWebview, GroupBy, OverrideChange, SortKey, ToWebview, ViewState } from './protocol';
import { PromptGrid, type Item } from './table';

export const DEFAULT_STATE: ViewState = { sort: { key: 'monthly', descending: true }, filter: '', groupBy: 'none', scrollTop: 0, whatIf: { trafficMultiplier: 1, models: {} } };

export interface Host {
  post(message: FromWebview): void;
  saveState(state: ViewState): void;
  /** The panel can write overrides and export; the HTML file cannot. */
  interactive: boolean;
}

const CACHE_RANK = { broken: 3, cacheable: 2, cached: 1 } as const;

export class ReportApp {
  private data!: ReportViewData;
  private priced: Priced[] = [];
  private reported: WhatIfTotals | undefined;
  private readonly grid: PromptGrid;
  private readonly root: HTMLElement;
  private readonly totalsBox = h('section', { class: 'totals', 'aria-label': 'Totals' });
  private readonly chartsBox = h('section', { class: 'charts', 'aria-label': 'Charts' });
  private readonly detailsBox = h('section', { class: 'details', 'aria-label': 'Selected prompt' });
  private readonly status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly filterInput = h('input', { id: 'pc-filter', type: 'search', placeholder: 'file, model, kind…', autocomplete: 'off' });
  private readonly groupSelect = h('select', { id: 'pc-group' });
  private readonly trafficInput = h('input', { id: 'pc-traffic', type: 'number', min: 0, step: 0.1, value: 1 });
  private readonly hitInput = h('input', { id: 'pc-hit', type: 'number', min: 0, max: 100, step: 5, placeholder: 'as estimated' });
  private readonly writeButton = h('button', { type: 'button', text: 'Write to .promptcost.yaml' });
  private readonly resetButton = h('button', { type: 'button', text: 'Reset what-ifs', class: 'secondary' });
  private sortedCache: { key: string; order: number[] } | undefined;
  /** Each row's lower-cased filter text (file:line, id, model, kind, label, confidence). */
  private haystacks: string[] | undefined;

  constructor(mount: HTMLElement, private readonly host: Host, private state: ViewState) {
    this.root = mount;
    this.grid = new PromptGrid({
      cells: (i) => this.cells(i),
      rowLabel: (i) => this.rowLabel(i),
      groupText: (g) => `${g.label} — ${g.count} prompt${g.count === 1 ? '' : 's'}, ${formatUsd(g.monthlyUsd)}/month, ${formatUsd(g.perDayUsd)}/day${g.unpriced ? `, ${g.unpriced} unpriced` : ''}`,
      onSort: (key) => this.sortBy(key),
      onActivate: (i) => this.reveal(i),
      onFocus: (i) => this.focusRow(i),
      onScroll: (top) => this.save({ scrollTop: top }),
    });
    for (const [value, label] of [['none', 'No grouping'], ['file', 'File'], ['folder', 'Folder'], ['model', 'Model']]) this.groupSelect.append(h('option', { value, text: label }));
    this.filterInput.addEventListener('input', () => this.setFilter(this.filterInput.value));
    this.groupSelect.addEventListener('change', () => this.setGroup(this.groupSelect.value as GroupBy));
    this.trafficInput.addEventListener('input', () => {
      const v = Number(this.trafficInput.value);
      if (this.trafficInput.value !== '' && Number.isFinite(v) && v >= 0) this.setWhatIf({ ...this.state.whatIf, trafficMultiplier: v });
    });
    this.hitInput.addEventListener('input', () => {
      const raw = this.hitInput.value;
      const v = Number(raw);
      if (raw === '') this.setWhatIf({ ...this.state.whatIf, cacheHitRate: undefined });
      else if (Number.isFinite(v) && v >= 0 && v <= 100) this.setWhatIf({ ...this.state.whatIf, cacheHitRate: v / 100 });
    });
    this.resetButton.addEventListener('click', () => this.setWhatIf({ trafficMultiplier: 1, models: {} }));
    this.writeButton.addEventListener('click', () => this.writeOverrides());
  }

  /** Applies a message from the host. */
  receive(m: ToWebview): void {
    if (m.type === 'data') this.setData(m.data);
    else if (m.type === 'focus') this.focusId(m.id);
    else if (m.type === 'exported') this.say(m.path ? `Exported ${m.format.toUpperCase()} to ${m.path}` : 'Export cancelled');
    else if (m.type === 'wrote') {
      const shadowed = m.shadowed ? ` ${m.shadowed} change${m.shadowed === 1 ? ' is' : 's are'} set in the code or an annotation, which wins over .promptcost.yaml: edit it there.` : '';
      this.say(m.error ? `Could not write .promptcost.yaml: ${m.error}` : `Wrote ${m.overrides} override${m.overrides === 1 ? '' : 's'} to ${m.file ?? '.promptcost.yaml'} (undo with Edit › Undo in that file).${shadowed}`);
    }
  }

  setData(data: ReportViewData): void {
    const first = !this.data;
    this.data = data;
    this.sortedCache = undefined;
    // Swaps for prompts that are gone are dropped.
    const ids = new Set(data.prompts.map((p) => p.id));
    const models = Object.fromEntries(Object.entries(this.state.whatIf.models).filter(([id]) => ids.has(id)));
    this.state = { ...this.state, whatIf: { ...this.state.whatIf, models } };
    this.reported = undefined;
    if (first) this.layout();
    this.recompute();
    if (first && this.state.scrollTop) this.grid.scrollTop = this.state.scrollTop;
    if (first && this.state.focused) {
      const i = data.prompts.findIndex((p) => p.id === this.state.focused);
      if (i >= 0) this.renderDetails(i);
    }
  }

  private layout(): void {
    this.filterInput.value = this.state.filter;
    this.groupSelect.value = this.state.groupBy;
    this.trafficInput.value = String(this.state.whatIf.trafficMultiplier);
    this.hitInput.value = this.state.whatIf.cacheHitRate === undefined ? '' : String(Math.round(this.state.whatIf.cacheHitRate * 100));
    const exports = this.host.interactive
      ? h('div', { class: 'exports', role: 'group', 'aria-label': 'Export' }, ...(['csv', 'json', 'markdown'] as const).map((f) => {
        const b = h('button', { type: 'button', class: 'secondary', text: `Export ${f === 'markdown' ? 'Markdown' : f.toUpperCase()}` });
        b.addEventListener('click', () => this.host.post({ type: 'export', format: f }));
        return b;
      }))
      : null;
    const controls = h('section', { class: 'controls', 'aria-label': 'View' },
      h('label', { for: 'pc-filter', text: 'Filter' }), this.filterInput,
      h('label', { for: 'pc-group', text: 'Group by' }), this.groupSelect,
      exports);
    const whatIfs = h('section', { class: 'whatifs', 'aria-label': 'What-ifs' },
      h('h2', { text: 'What if' }),
      h('label', { for: 'pc-traffic', text: 'Traffic ×' }), this.trafficInput,
      h('label', { for: 'pc-hit', text: 'Cache hit rate (%)' }), this.hitInput,
      this.resetButton, this.host.interactive ? this.writeButton : h('span', { class: 'muted', text: 'What-ifs here are not saved; use the VS Code panel to write them to .promptcost.yaml.' }));
    this.root.replaceChildren(
      h('header', {}, h('h1', { text: `Prompt Cost — ${this.data.rootName}` })),
      this.totalsBox, whatIfs, this.chartsBox, controls, this.status, this.grid.element, this.detailsBox,
    );
  }

  private recompute(): void {
    const w = this.state.whatIf;
    const table = this.data.priceTable;
    // The cheaper-model lever (every model of the provider ranked per prompt) follows the first paint.
    this.priced = this.data.prompts.map((p) => priceWhatIf(p, w, table, { cheaperModel: false }));
    this.haystacks = undefined;
    const totals = totalsOf(this.priced, this.data.prompts);
    if (isNeutral(w)) this.reported = totals;
    else this.reported ??= totalsOf(this.data.prompts.map((p) => priceWhatIf(p, { trafficMultiplier: 1, models: {} }, table, { cheaperModel: false })), this.data.prompts);
    this.sortedCache = undefined;
    this.renderTotals(totals);
    this.renderCharts(totals, true);
    this.fillCheaperModelLever();
    this.writeButton.disabled = !this.overrideChanges().length;
    this.refreshGrid();
    const focused = this.state.focused ? this.data.prompts.findIndex((p) => p.id === this.state.focused) : -1;
    if (focused >= 0) this.renderDetails(focused);
  }

  private leverRun = 0;

  /** Computes the cheaper-model lever in slices between frames, then redraws the charts with it. */
  private fillCheaperModelLever(): void {
    const run = ++this.leverRun;
    const priced = this.priced;
    const table = this.data.priceTable;
    let i = 0;
    const step = () => {
      if (run !== this.leverRun) return; // a newer what-if started over
      const end = Math.min(priced.length, i + 250);
      for (; i < end; i++) withCheaperModel(this.data.prompts[i], priced[i], table);
      if (i < priced.length) return void setTimeout(step, 0);
      this.renderCharts(totalsOf(priced, this.data.prompts), false);
      const focused = this.state.focused ? this.data.prompts.findIndex((p) => p.id === this.state.focused) : -1;
      if (focused >= 0) this.renderDetails(focused);
    };
    setTimeout(step, 0);
  }

  private renderTotals(t: WhatIfTotals): void {
    const d = this.data;
    const whatIf = !isNeutral(this.state.whatIf);
    const unpricedWhy = new Map<string, number>();
    this.priced.forEach((r) => { if (!r.priced) unpricedWhy.set(r.unpricedReason ?? 'unpriced', (unpricedWhy.get(r.unpricedReason ?? 'unpriced') ?? 0) + 1); });
    const stat = (label: string, value: string, extra?: Node | string) => h('div', { class: 'stat' }, h('span', { class: 'stat-label', text: label }), h('span', { class: 'stat-value', text: value }), extra ?? null);
    const budget = d.budget
      ? this.budgetStat(d.budget, t, whatIf)
      : stat('Budget', 'none set', h('span', { class: 'muted', text: 'budget.monthlyUsd in .promptcost.yaml' }));
    const unpriced = t.unpriced
      ? h('details', { class: 'unpriced' }, h('summary', { text: 'why' }), h('ul', {}, ...[...unpricedWhy].map(([why, n]) => h('li', { text: `${n} × ${why}` }))))
      : undefined;
    this.totalsBox.replaceChildren(
      stat('Per month', formatUsd(t.monthlyUsd), whatIf && this.reported ? h('span', { class: 'muted', text: `what-if; as reported ${formatUsd(this.reported.monthlyUsd)}` }) : undefined),
      stat('Per day', formatUsd(t.perDayUsd)),
      stat('Prompts', groupDigits(t.prompts)),
      stat('Unpriced', groupDigits(t.unpriced), unpriced),
      budget,
      stat('Prices as of', d.prices.asOf.slice(0, 10), h('span', { class: 'muted', text: `${d.prices.source} ${d.prices.version}; ≈ marks estimated token counts` })),
    );
  }

  /**
   * The budget box: the share and the verdict of the figures shown. With what-ifs applied both are the
   * what-ifs' (a total over the budget is over it, whatever the scan said), and the scan's own verdict,
   * the one the CLI's gate gives, is said beside it.
   */
  private budgetStat(b: BudgetVerdict, t: WhatIfTotals, whatIf: boolean): HTMLElement {
    const unpricedIds = new Set(this.priced.flatMap((r, i) => (r.priced ? [] : [this.data.prompts[i].id])));
    const shown = whatIf ? budgetVerdictAt(b, t.monthlyUsd, unpricedIds) : b;
    const share = b.monthlyUsd > 0 ? t.monthlyUsd / b.monthlyUsd : 0;
    // A total that lacks a mistyped model's prompts fails the gate however small it is (the verdict says which).
    const failed = shown.exceeded || !!shown.unpricedTypos?.length || !!shown.unreadable;
    const percent = `${Math.round(share * 100)}%`;
    return h('div', { class: `stat budget${failed ? ' over' : ''}` }, h('span', { class: 'stat-label', text: 'Budget' }),
      h('span', { class: 'stat-value', text: `${percent} of ${formatUsd(b.monthlyUsd)}/mo` }),
      h('progress', { max: 1, value: Math.min(1, share), 'aria-label': `Budget used: ${percent} of ${formatUsd(b.monthlyUsd)} per month (${b.from})` }),
      h('span', { class: 'muted budget-verdict', text: `${b.from} — ${whatIf ? 'with the what-ifs: ' : ''}${shown.verdict}` }),
      whatIf ? h('span', { class: 'muted budget-scanned', text: `As scanned (no what-ifs, as the CLI's budget gate judges it): ${b.verdict}` }) : null);
  }

  private renderCharts(t: WhatIfTotals, leversPending = false): void {
    const byModel = new Map<string, number>();
    const byFolder = new Map<string, number>();
    this.priced.forEach((r, i) => {
      if (!r.priced) return;
      const usd = r.monthlyUsd ?? 0;
      // One bar per model as the price data names it: claude-sonnet-4.5 and claude-sonnet-4-5 are one model.
      const model = this.data.priceTable.models[r.model]?.modelId ?? r.model;
      byModel.set(model, (byModel.get(model) ?? 0) + usd);
      const folder = folderOf(this.data.prompts[i].file);
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + usd);
    });
    const top = (m: Map<string, number>, n: number): Slice[] => {
      const all = [...m].sort((a, b) => b[1] - a[1]);
      const head = all.slice(0, n).map(([label, usd]) => ({ label, usd }));
      const rest = all.slice(n).reduce((s, [, usd]) => s + usd, 0);
      return rest > 0 ? [...head, { label: `${all.length - n} others`, usd: rest }] : head;
    };
    const prompts = this.priced.map((r, i) => ({ r, p: this.data.prompts[i] })).filter((x) => x.r.priced).sort((a, b) => (b.r.monthlyUsd ?? 0) - (a.r.monthlyUsd ?? 0)).slice(0, 10);
    this.chartsBox.replaceChildren(
      barChart('Monthly cost by model', top(byModel, 8), 'Monthly cost by model'),
      treemap('Where the money goes (by folder)', top(byFolder, 30)),
      barChart('Top 10 prompts', prompts.map((x) => ({ label: placeOf(x.p).split('/').pop()!, usd: x.r.monthlyUsd ?? 0, title: x.p.id })), 'Top 10 prompts by monthly cost'),
      leversChart(t, leversPending),
    );
  }

  // ---- the grid ----

  private matches(): number[] {
    const terms = this.state.filter.toLowerCase().split(/\s+/).filter(Boolean);
    const out: number[] = [];
    const prompts = this.data.prompts;
    if (!terms.length) return prompts.map((_, i) => i);
    const hays = (this.haystacks ??= prompts.map((p, i) => `${placeOf(p)} ${p.id} ${this.priced[i].model} ${p.kind} ${p.label ?? ''} ${p.confidence}`.toLowerCase()));
    for (let i = 0; i < prompts.length; i++) {
      const hay = hays[i];
      if (terms.every((t) => hay.includes(t))) out.push(i);
    }
    return out;
  }

  private sortValue(i: number, key: SortKey): number | string {
    const p = this.data.prompts[i];
    const r = this.priced[i];
    switch (key) {
      case 'location': return `${p.file}\u0000${String(p.cell ?? 0).padStart(6, '0')}\u0000${String(p.line).padStart(8, '0')}`;
      case 'kind': return p.kind;
      case 'model': return r.model;
      case 'confidence': return p.confidence;
      case 'tokensIn': return p.tokensIn;
      case 'tokensOut': return p.tokensOut;
      case 'perCall': return r.priced ? r.perCallUsd ?? 0 : -1;
      case 'perDay': return r.priced ? r.perDayUsd ?? 0 : -1;
      case 'monthly': return r.priced ? r.monthlyUsd ?? 0 : -1;
      case 'cache': return r.cache ? CACHE_RANK[r.cache.status] * 1e12 + r.cache.usd : 0;
      case 'diagnostics': return p.diagnostics.length;
    }
  }

  private sortedOrder(): number[] {
    const { key, descending } = this.state.sort;
    const cacheKey = `${key}:${descending}`;
    if (this.sortedCache?.key === cacheKey) return this.sortedCache.order;
    const n = this.data.prompts.length;
    const values = new Array<number | string>(n);
    for (let i = 0; i < n; i++) values[i] = this.sortValue(i, key);
    const order = Array.from({ length: n }, (_, i) => i);
    const dir = descending ? -1 : 1;
    order.sort((a, b) => {
      const x = values[a];
      const y = values[b];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      return c * dir || a - b;
    });
    this.sortedCache = { key: cacheKey, order };
    return order;
  }

  private items(): Item[] {
    const keep = new Set(this.matches());
    const order = this.sortedOrder().filter((i) => keep.has(i));
    const by = this.state.groupBy;
    if (by === 'none') return order.map((index) => ({ kind: 'row', index }));
    const groups = new Map<string, number[]>();
    for (const i of order) {
      const p = this.data.prompts[i];
      const k = by === 'file' ? p.file : by === 'folder' ? folderOf(p.file) : this.priced[i].model;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(i);
    }
    const out: Item[] = [];
    const summaries = [...groups].map(([label, rows]) => {
      let monthlyUsd = 0;
      let perDayUsd = 0;
      let unpriced = 0;
      for (const i of rows) {
        const r = this.priced[i];
        if (!r.priced) unpriced++;
        monthlyUsd += r.monthlyUsd ?? 0;
        perDayUsd += r.perDayUsd ?? 0;
      }
      return { label, rows, monthlyUsd, perDayUsd, unpriced };
    });
    // Groups in the order of their first row under the current sort (dearest group first by default).
    const sortKey = this.state.sort.key;
    if (sortKey === 'monthly' || sortKey === 'perDay' || sortKey === 'perCall') summaries.sort((a, b) => (this.state.sort.descending ? b.monthlyUsd - a.monthlyUsd : a.monthlyUsd - b.monthlyUsd));
    for (const g of summaries) {
      out.push({ kind: 'group', label: g.label, count: g.rows.length, monthlyUsd: g.monthlyUsd, perDayUsd: g.perDayUsd, unpriced: g.unpriced });
      for (const index of g.rows) out.push({ kind: 'row', index });
    }
    return out;
  }

  private refreshGrid(): void {
    this.grid.setHeader(this.state.sort);
    const items = this.items();
    const focused = this.state.focused ? this.data.prompts.findIndex((p) => p.id === this.state.focused) : -1;
    this.grid.setItems(items, focused >= 0 ? focused : undefined);
    const rows = items.filter((i) => i.kind === 'row').length;
    this.say(`${groupDigits(rows)} of ${groupDigits(this.data.prompts.length)} prompts shown`);
  }

  private cells(i: number): { text: string; title?: string; className?: string }[] {
    const p = this.data.prompts[i];
    const r = this.priced[i];
    const money = (v: number | undefined) => (r.priced && v !== undefined ? formatUsd(v) : 'unpriced');
    const swapped = r.model !== p.model;
    const cache = r.cache ? `${r.cache.status} ${formatUsd(r.cache.usd)}/mo` : '—';
    const assistant = assistantPricingNote(p.kind);
    return [
      { text: `${placeOf(p)}${p.label ? ` #${p.label}` : ''}`, title: p.id },
      { text: p.kind, title: assistant },
      { text: swapped ? `${r.model} (was ${p.model})` : r.model, title: `from ${p.modelFrom}`, className: swapped ? 'changed' : undefined },
      { text: p.confidence },
      { text: formatTokens(p.tokensIn, p.exact), title: p.exact ? 'exact count' : 'estimate' },
      { text: groupDigits(p.tokensOut) },
      { text: money(r.perCallUsd), title: r.priced ? undefined : r.unpricedReason },
      { text: money(r.perDayUsd), title: `${groupDigits(Math.round(r.callsPerDay * 100) / 100)} calls/day (${p.trafficFrom})` },
      // A Copilot or Cursor file's figure is the API price of its text, not the assistant's bill: marked, and said on hover.
      assistant && r.priced ? { text: `${money(r.monthlyUsd)} †`, title: `API rates: ${assistant}` } : { text: money(r.monthlyUsd), className: r.priced ? undefined : 'muted' },
      { text: cache, className: r.cache ? `cache-${r.cache.status}` : undefined },
      { text: p.diagnostics.map((d) => d.code).join(', '), title: p.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n') },
    ];
  }

  private rowLabel(i: number): string {
    const p = this.data.prompts[i];
    const r = this.priced[i];
    return `${placeOf(p)}, ${r.model}, ${r.priced ? `${formatUsd(r.monthlyUsd ?? 0)} per month` : 'unpriced'}`;
  }

  private renderDetails(i: number): void {
    const p = this.data.prompts[i];
    const r = this.priced[i];
    const choices = swapChoices(p, this.data.priceTable);
    const select = h('select', { id: 'pc-swap', 'aria-label': `Model for ${placeOf(p)}` });
    select.append(h('option', { value: p.model, text: `${p.model} (as in the code)` }));
    if (choices.cheaper.length) select.append(h('optgroup', { label: 'Cheaper, same provider' }, ...choices.cheaper.map((c) => h('option', { value: c.model, text: `${c.model} — ${formatUsd(c.monthlyUsd)}/mo` }))));
    select.append(h('optgroup', { label: 'Any priced model' }, ...choices.others.map((m) => h('option', { value: m, text: m }))));
    select.value = r.model;
    select.addEventListener('change', () => {
      const models = { ...this.state.whatIf.models };
      if (select.value === p.model) delete models[p.id];
      else models[p.id] = select.value;
      this.setWhatIf({ ...this.state.whatIf, models });
    });
    this.detailsBox.replaceChildren(
      h('h2', { text: placeOf(p) }),
      h('p', { text: `${p.kind} · ${p.confidence} · ${formatTokens(p.tokensIn, p.exact)} in / ${groupDigits(p.tokensOut)} out · ${r.priced ? `${formatUsd(r.monthlyUsd ?? 0)}/month` : `unpriced: ${r.unpricedReason}`}` }),
      h('label', { for: 'pc-swap', text: 'Model (what-if)' }), select,
      r.levers.cheaperModelId ? h('p', { class: 'muted', text: `Closest cheaper model of the provider: ${r.levers.cheaperModelId}, saves ${formatUsd(r.levers.cheaperModel)}/month.` }) : '',
      p.diagnostics.length ? h('ul', { 'aria-label': 'Diagnostics' }, ...p.diagnostics.map((d) => h('li', { text: `${d.code} (${d.severity}): ${d.message}` }))) : '',
    );
  }

  // ---- actions ----

  private sortBy(key: SortKey): void {
    const same = this.state.sort.key === key;
    const numeric = !['location', 'kind', 'model', 'confidence'].includes(key);
    this.save({ sort: { key, descending: same ? !this.state.sort.descending : numeric } });
    this.refreshGrid();
  }

  setFilter(text: string): void {
    this.save({ filter: text });
    if (this.filterInput.value !== text) this.filterInput.value = text;
    this.refreshGrid();
  }

  private setGroup(g: GroupBy): void {
    this.save({ groupBy: g });
    this.refreshGrid();
  }

  private setWhatIf(w: ViewState['whatIf']): void {
    this.save({ whatIf: w });
    if (this.trafficInput.value !== String(w.trafficMultiplier) && Number(this.trafficInput.value) !== w.trafficMultiplier) this.trafficInput.value = String(w.trafficMultiplier);
    if (w.cacheHitRate === undefined && this.hitInput.value !== '') this.hitInput.value = '';
    this.recompute();
  }

  private focusRow(i: number): void {
    this.save({ focused: this.data.prompts[i].id });
    this.renderDetails(i);
  }

  private focusId(id: string): void {
    const i = this.data.prompts.findIndex((p) => p.id === id);
    if (i < 0) return this.say(`Prompt ${id} is not in the report`);
    if (!this.grid.focusPrompt(i)) {
      this.setFilter(''); // the filter hid it
      this.grid.focusPrompt(i);
    }
  }

  private reveal(i: number): void {
    const p = this.data.prompts[i];
    this.host.post({ type: 'reveal', id: p.id, file: p.file, range: p.range, ...(p.cell !== undefined ? { cell: p.cell } : {}) });
  }

  /** The what-ifs as .promptcost.yaml overrides: swapped models, and traffic when the multiplier is not 1. */
  private overrideChanges(): OverrideChange[] {
    const w = this.state.whatIf;
    const out: OverrideChange[] = [];
    this.data.prompts.forEach((p, i) => {
      const model = w.models[p.id];
      const traffic = w.trafficMultiplier !== 1 ? this.priced[i].callsPerDay : undefined;
      if (model || traffic !== undefined) out.push({ id: p.id, file: p.file, ...(model ? { model, modelFrom: p.modelFrom } : {}), ...(traffic !== undefined ? { callsPerDay: round(traffic), trafficFrom: p.trafficFrom } : {}) });
    });
    return out;
  }

  private writeOverrides(): void {
    const changes = this.overrideChanges();
    if (changes.length) this.host.post({ type: 'writeOverrides', changes });
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private save(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    this.host.saveState(this.state);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The prompt's place as every output prints it (`file:cellN:line` in a notebook), what `explain` takes. */
const placeOf = (p: ViewPrompt) => placeText(p.file, p.line, p.cell);

/** The folder a prompt counts under in the treemap and grouping: up to two levels deep. */
export function folderOf(file: string): string {
  const dirs = file.split('/').slice(0, -1);
  return dirs.length ? dirs.slice(0, 2).join('/') : '(root)';
}

export type { ViewPrompt };
