// What the server knows about the workspace: the config (live from an open .promptcost.yaml), the
// settings, the scan's detections, and the detections of open documents (newer than the disk's).
import * as path from 'path';
import { annotationsTakenElsewhere, Engine, withoutTakenAnnotationWarnings, type Detection, type FileAnalysis, type PriceOptions } from '../core/analyze';
import { parseConfig } from '../core/config/load';
import { emptyConfig, type PromptCostConfig } from '../core/config/types';
import type { Diagnostic, PromptReport, ScanReport, Severity } from '../core/model';
import { DEFAULT_SETTINGS, settingsTraffic, type PromptCostSettings } from '../core/settings';
import { toPosix } from '../core/text';
import { guardedReader, type Refusal } from '../core/fileAccess';
import { foundElsewhere, loadConfig, summarize, uniqueAcrossFiles, withoutFoundElsewhere, type WorkspaceDetections } from '../core/workspace';

export class WorkspaceState {
  // A person waits on the editor's answers: its budgets run on the wall clock (budgets.ts).
  readonly engine = new Engine({ budgets: { wallClock: true } });
  settings: PromptCostSettings = DEFAULT_SETTINGS;
  /** Config as read from disk, or from the open editor when .promptcost.yaml is open. */
  config: PromptCostConfig = emptyConfig();
  private scanned: WorkspaceDetections | undefined;
  get scan(): WorkspaceDetections | undefined {
    return this.scanned;
  }
  set scan(s: WorkspaceDetections | undefined) {
    if (s && !(s.detections instanceof CountingMap)) s.detections = new CountingMap(() => this.changes++, s.detections);
    this.scanned = s;
    this.changes++;
  }
  /** Bumped on every change to a detection (open documents, the scan's), for what is derived from all of them. */
  private changes = 0;
  /** The `.promptcost.yaml` excludes the scan ran with. */
  scanExclude: string[] = [];
  scanning = false;
  readonly open: Map<string, Detection> = new CountingMap<Detection>(() => this.changes++);
  private priced = new Map<string, { detection: Detection; epoch: number; analysis: FileAnalysis }>();
  /** Bumped whenever pricing inputs change (config, settings), invalidating priced results. */
  private epoch = 0;

  constructor(readonly root: string | undefined) {
    if (root) this.config = loadConfig(root);
  }

  /** Root-relative path of a file (or its absolute path when outside the workspace). */
  relative(absPath: string): string {
    if (!this.root) return toPosix(absPath);
    const rel = path.relative(this.root, absPath);
    return rel.startsWith('..') || path.isAbsolute(rel) ? toPosix(absPath) : toPosix(rel);
  }

  absolute(rel: string): string {
    return this.root && !path.isAbsolute(rel) ? path.join(this.root, rel) : rel;
  }

  setSettings(s: PromptCostSettings): void {
    this.settings = s;
    this.epoch++;
  }

  /** The price data changed (an update): every prompt is priced again. */
  pricesChanged(): void {
    this.epoch++;
  }

  setConfigText(text: string | undefined): void {
    this.config = text === undefined ? (this.root ? loadConfig(this.root) : emptyConfig()) : parseConfig(text, '.promptcost.yaml');
    this.epoch++;
  }

  /** Effective config: thresholds not set in .promptcost.yaml come from the settings. */
  private effectiveConfig(): PromptCostConfig {
    const t = { ...this.config.thresholds };
    if (!t.promptTokens && this.settings.thresholds.promptTokens > 0) t.promptTokens = { value: this.settings.thresholds.promptTokens, from: 'setting promptCost.thresholds.promptTokens' };
    if (!t.promptMonthlyUsd && this.settings.thresholds.promptMonthlyUsd > 0) t.promptMonthlyUsd = { value: this.settings.thresholds.promptMonthlyUsd, from: 'setting promptCost.thresholds.promptMonthlyUsd' };
    return { ...this.config, thresholds: t };
  }

  severities(): Record<string, Severity> {
    return Object.fromEntries(Object.entries(this.settings.severity).filter(([, v]) => v !== 'off')) as Record<string, Severity>;
  }

  isOff(code: string): boolean {
    return this.settings.severity[code] === 'off';
  }

  /**
   * The current detection of a file: the open document's if open, else the scan's — without the prompts
   * another file's call reports already (its constant used there), as `prompt-cost scan` leaves them out.
   */
  detection(rel: string): Detection | undefined {
    const d = this.open.get(rel) ?? this.scan?.detections.get(rel);
    if (!d) return undefined;
    const found = this.foundElsewhere();
    const kept = this.kept.get(rel);
    if (kept && kept.from === d && kept.found === found) return kept.detection;
    const detection = withoutFoundElsewhere(d, found);
    this.kept.set(rel, { from: d, found, detection });
    return detection;
  }

  private kept = new Map<string, { from: Detection; found: Map<string, number>; detection: Detection }>();
  private elsewhere: { changes: number; found: Map<string, number>; taken: Set<string> } | undefined;

  /** foundElsewhere over the current detections (open documents over the scan's), kept while none changes. */
  private foundElsewhere(): Map<string, number> {
    if (this.elsewhere?.changes === this.changes) return this.elsewhere.found;
    const sources: Detection[] = [];
    for (const [rel, d] of this.scan?.detections ?? []) if (!this.open.has(rel)) sources.push(d);
    for (const d of this.open.values()) sources.push(d);
    this.elsewhere = { changes: this.changes, found: foundElsewhere(sources), taken: annotationsTakenElsewhere(sources) };
    return this.elsewhere.found;
  }

  /** Annotations that prompts of other files take (annotationsTakenElsewhere), kept like foundElsewhere. */
  private takenElsewhere(): Set<string> {
    this.foundElsewhere();
    return this.elsewhere!.taken;
  }

  private options: { epoch: number; value: PriceOptions } | undefined;

  /** One options object per epoch: the engine reuses a prompt's report while its options are the same object. */
  priceOptions(): PriceOptions {
    if (this.options?.epoch !== this.epoch) this.options = { epoch: this.epoch, value: { config: this.effectiveConfig(), settings: settingsTraffic(this.settings), severities: this.severities() } };
    return this.options.value;
  }

  analysis(rel: string): FileAnalysis | undefined {
    const d = this.detection(rel);
    if (!d) return undefined;
    const cached = this.priced.get(rel);
    const analysis = cached && cached.detection === d && cached.epoch === this.epoch ? cached.analysis : this.engine.price(d, this.priceOptions());
    if (analysis !== cached?.analysis) this.priced.set(rel, { detection: d, epoch: this.epoch, analysis });
    // an annotation that a prompt of another file takes is no unused one here (as in the scan)
    const diagnostics = withoutTakenAnnotationWarnings(analysis.diagnostics, this.takenElsewhere());
    return diagnostics === analysis.diagnostics ? analysis : { ...analysis, diagnostics };
  }

  /**
   * An open document's detection, with its pricing made elsewhere (the document worker) with `options`:
   * kept as the priced result when those are still the current options and the detection is the file's
   * as it stands (nothing in it found by another file with more confidence), so it is not priced again.
   */
  setOpen(rel: string, detection: Detection, priced?: { analysis: FileAnalysis; options: PriceOptions }): void {
    this.open.set(rel, detection);
    if (priced && priced.options === this.options?.value && this.detection(rel) === detection) this.priced.set(rel, { detection, epoch: this.epoch, analysis: priced.analysis });
  }

  /**
   * The scan's detections, with each file's pricing made in the scan's worker with `options`: kept, as
   * for open documents (setOpen), where those are still the current options and the file's detection.
   */
  setScan(scan: WorkspaceDetections, priced?: { analyses: Map<string, FileAnalysis>; options: PriceOptions }): void {
    this.scan = scan;
    if (!priced || priced.options !== this.options?.value) return;
    for (const [rel, analysis] of priced.analyses) {
      const detection = this.scan.detections.get(rel);
      if (detection && !this.open.has(rel) && this.detection(rel) === detection) this.priced.set(rel, { detection, epoch: this.epoch, analysis });
    }
  }

  /** Every file with prompts or diagnostics: scanned files, plus open documents the scan did not see. */
  files(): string[] {
    const files = [...(this.scan?.files ?? [])];
    const known = new Set(files);
    for (const f of this.open.keys()) if (!known.has(f)) files.push(f);
    return files;
  }

  /**
   * Prices every file not priced yet for the current inputs, giving the event loop a turn whenever
   * `sliceMs` have passed: after a scan (or a settings change) a workspace of files is priced between
   * requests, not in one block before the next one.
   */
  async priceAll(sliceMs = 15): Promise<void> {
    let since = performance.now();
    for (const f of this.files()) {
      this.analysis(f);
      if (performance.now() - since < sliceMs) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }

  /** Prompts whose text (a part) is written in `rel`, wherever the call is: hover on a constant. */
  promptsUsing(rel: string): PromptReport[] {
    const out: PromptReport[] = [];
    for (const f of this.files()) {
      // Only files whose detection reads `rel` are priced: a hover never prices the whole workspace.
      const d = f === rel ? undefined : this.detection(f);
      if (f !== rel && !d?.detected.some((p) => p.parts.some((part) => part.file === rel))) continue;
      const a = this.analysis(f);
      if (!a) continue;
      for (const p of a.prompts) if (p.file === rel || p.parts.some((part) => part.file === rel)) out.push(p);
    }
    return out;
  }

  /** The `.promptcost.yaml` problems as diagnostics, at the severity the settings give (none when turned off). */
  configDiagnostics(): Diagnostic[] {
    const severity = this.severities()['invalid-config'] ?? 'error';
    return this.isOff('invalid-config') ? [] : this.config.problems.map((p) => ({ code: 'invalid-config', severity, message: p.message, range: p.range, file: p.file }));
  }

  report(): ScanReport {
    const prompts: PromptReport[] = [];
    const diagnostics: Diagnostic[] = this.configDiagnostics();
    const ids = new Set<string>();
    for (const f of this.files()) {
      const a = this.analysis(f);
      if (!a) continue;
      prompts.push(...uniqueAcrossFiles(a.prompts, ids));
      diagnostics.push(...a.diagnostics);
    }
    return summarize(this.root ?? '.', prompts, diagnostics, this.scan?.skipped ?? [], this.config);
  }

  /**
   * Reads a workspace file for import resolution: open documents win over the disk. From the disk only
   * regular files whose real path is inside the workspace (see core/fileAccess); refusals go to `onRefuse`.
   */
  reader(openText: (rel: string) => string | undefined, onRefuse?: (r: Refusal) => void): (rel: string) => string | undefined {
    const disk = this.root ? guardedReader(this.root, onRefuse) : () => undefined;
    return (rel) => {
      const live = openText(rel);
      if (live !== undefined) return live;
      return disk(rel);
    };
  }
}

/** A map that reports every set, delete and clear (to invalidate what is derived from its values). */
class CountingMap<V> extends Map<string, V> {
  constructor(private readonly onChange: () => void, entries?: Iterable<[string, V]>) {
    super();
    if (entries) for (const [k, v] of entries) super.set(k, v);
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    this.onChange?.();
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.onChange();
    return had;
  }

  override clear(): void {
    super.clear();
    this.onChange();
  }
}
