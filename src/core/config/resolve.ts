// Traffic precedence: annotation > override by id > override by path glob > file defaults >
// editor settings > built-in defaults. Model and output size written in the prompt itself rank just
// below an annotation: the code says what it calls, an annotation is the user correcting it.
import picomatch from 'picomatch';
import type { Origin, PromptReport } from '../model';
import type { Annotation } from './annotations';
import { providerDefault } from '../models/defaults';
import { TRAFFIC_FIELDS, type Override, type PromptCostConfig, type SourcedTraffic, type TrafficField } from './types';

export const BUILT_IN_DEFAULTS = {
  model: 'gpt-4o-mini',
  callsPerDay: 1000,
  outputTokens: 500,
  cacheHitRate: 0,
  daysPerMonth: 30,
} as const;

export interface ResolvedTraffic {
  model: { value: string; from: Origin };
  callsPerDay: { value: number; from: Origin };
  outputTokens: { value: number; from: Origin };
  cacheHitRate: { value: number; from: Origin };
  daysPerMonth: { value: number; from: Origin };
  id?: string;
}

export interface TrafficInputs {
  /** Path relative to the workspace root, forward slashes. */
  file: string;
  annotation?: Annotation;
  /** Model and output limit found in the prompt itself. */
  detected?: Partial<SourcedTraffic>;
  config: PromptCostConfig;
  /** Editor settings (the layer between the file's defaults and the built-ins). */
  settings?: SourcedTraffic;
  /** The SDK's provider, when the call is of a known SDK: an unknown model gets that provider's default. */
  provider?: string;
}

const matcherCache = new Map<string, (p: string) => boolean>();
function globMatches(glob: string, file: string): boolean {
  let m = matcherCache.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    matcherCache.set(glob, m);
  }
  return m(file);
}

export function resolveTraffic(inputs: TrafficInputs): ResolvedTraffic {
  const id = inputs.annotation?.id;
  const byId = id === undefined ? [] : inputs.config.overrides.filter((o) => o.id === id);
  // Later path overrides win over earlier ones, as in most glob-ordered configs.
  const byPath = inputs.config.overrides.filter((o) => o.path !== undefined && globMatches(o.path, inputs.file)).reverse();
  const layers: (SourcedTraffic | undefined)[] = [
    inputs.annotation?.traffic,
    inputs.detected,
    ...byId.map((o) => o.traffic),
    ...byPath.map((o) => o.traffic),
    inputs.config.defaults,
    inputs.settings,
  ];
  const pick = <K extends TrafficField>(field: K) => {
    for (const layer of layers) {
      const v = layer?.[field];
      if (v !== undefined) return v;
    }
    return { value: BUILT_IN_DEFAULTS[field], from: 'default' };
  };
  const resolved = Object.fromEntries(TRAFFIC_FIELDS.map((f) => [f, pick(f)])) as unknown as ResolvedTraffic;
  if (inputs.provider) {
    // Only what names this prompt (annotation, the code, overrides) beats the provider's own default:
    // a workspace-wide model of another provider would price a Claude call as GPT.
    const explicit = [inputs.annotation?.traffic, inputs.detected, ...byId.map((o) => o.traffic), ...byPath.map((o) => o.traffic)].find((l) => l?.model)?.model;
    const fallback = explicit ? undefined : providerDefault(inputs.provider, { config: inputs.config.defaults.models, settings: inputs.settings?.models, workspace: [inputs.config.defaults.model, inputs.settings?.model] });
    if (fallback) resolved.model = fallback;
  }
  resolved.id = id;
  return resolved;
}

/**
 * The overrides no prompt of `prompts` matches: an id no annotation gives, a path glob no prompt's file
 * matches. Such an override is useless as written (a typo, a renamed file or id), which only a look at
 * every prompt can tell: call this with a whole workspace's prompts, not a part of them.
 */
export function unmatchedOverrides(config: PromptCostConfig, prompts: Pick<PromptReport, 'id' | 'file'>[], unreadable: readonly string[] = []): Override[] {
  // A prompt's id is its annotation's (`summarize`, `summarize#2`, `summarize#label` when one id is given
  // to several) or, with none, one made from its place (`file:line…`).
  const annotated = prompts.filter((p) => !p.id.startsWith(`${p.file}:`));
  const files = [...new Set(prompts.map((p) => p.file))];
  return config.overrides.filter((o) => {
    if (o.id !== undefined && annotated.some((p) => p.id === o.id || p.id.startsWith(`${o.id}#`))) return false;
    if (o.path !== undefined && files.some((f) => globMatches(o.path!, f))) return false;
    // A prompt file that could not be read may hold what it matches: it is said of the file instead.
    if (o.path !== undefined && unreadable.some((f) => globMatches(o.path!, f))) return false;
    return true;
  });
}

/** An override field every prompt it matches takes from a source ranked above it; `winners` say which. */
export interface ShadowedField { override: Override; field: TrafficField; winners: string[] }

/**
 * The override fields that change nothing because every prompt the override matches takes the field from
 * a source ranked above every override: its annotation, or what the prompt itself says (the model in the
 * code, a file's max_tokens). A field another override wins is left alone (that is the config's own
 * ranking, as written). Like unmatchedOverrides, this needs a whole workspace's prompts.
 */
export function shadowedOverrideFields(config: PromptCostConfig, prompts: Pick<PromptReport, 'id' | 'file' | 'range' | 'traffic'>[]): ShadowedField[] {
  const fromConfig = new Set<Origin>();
  for (const layer of [config.defaults, ...config.overrides.map((o) => o.traffic)]) for (const f of TRAFFIC_FIELDS) if (layer[f]) fromConfig.add(layer[f]!.from);
  const out: ShadowedField[] = [];
  for (const o of config.overrides) {
    const matched = prompts.filter((p) => (o.id !== undefined && !p.id.startsWith(`${p.file}:`) && (p.id === o.id || p.id.startsWith(`${o.id}#`)))
      || (o.path !== undefined && globMatches(o.path, p.file)));
    if (!matched.length) continue;
    for (const field of TRAFFIC_FIELDS) {
      if (!o.traffic[field]) continue;
      const sources = matched.map((p) => ({ p, from: p.traffic.sources[field] }));
      if (sources.some((s) => fromConfig.has(s.from))) continue;
      // An annotation in the prompt's own file is `annotation:3`: named with its file here.
      const winners = [...new Set(sources.map(({ p, from }) => (/^annotation:\d+$/.test(from) ? `annotation:${p.file}:${from.slice('annotation:'.length)}`
        : from.startsWith('annotation:') ? from : `the prompt at ${p.file}:${p.range.start.line + 1} (${from})`)))];
      out.push({ override: o, field, winners });
    }
  }
  return out;
}

/**
 * Whether an override may concern the prompts of `file` (`annotated`: some have an id of their own):
 * a path glob matching it, or an id override when there are annotated prompts. The prompts of other
 * files change neither check above, so they need not be read.
 */
export function overridesMayMatch(config: PromptCostConfig, file: string, annotated: boolean): boolean {
  return config.overrides.some((o) => (o.id !== undefined && annotated) || (o.path !== undefined && globMatches(o.path, file)));
}
