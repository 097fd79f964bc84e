import type { Origin, Range } from '../model';
import type { CustomPrice } from '../prices/lookup';

export const TRAFFIC_FIELDS = ['model', 'callsPerDay', 'outputTokens', 'cacheHitRate', 'daysPerMonth'] as const;
export type TrafficField = (typeof TRAFFIC_FIELDS)[number];

export interface TrafficValues {
  model?: string;
  callsPerDay?: number;
  outputTokens?: number;
  cacheHitRate?: number;
  daysPerMonth?: number;
}

/** Each given field with where it was written. */
export type SourcedTraffic = { [K in TrafficField]?: { value: NonNullable<TrafficValues[K]>; from: Origin } } & {
  /** Default models per provider (`defaults.models`, `promptCost.defaultModels.*`), for calls whose model is not known. */
  models?: Record<string, { value: string; from: Origin }>;
};

export interface Override { path?: string; id?: string; traffic: SourcedTraffic; from: Origin }

export interface ConfigProblem {
  message: string; field: string; range: Range; file: string;
  /**
   * A CLI gate fails on it (exit 2): the file as a whole could not be used (unreadable, not YAML), or a
   * `budget` / `thresholds` field is wrong (the gate would otherwise pass without the limit).
   */
  fatal?: boolean;
}

export interface PromptCostConfig {
  /** The file it was read from (relative to the workspace root), or undefined for no file. */
  file?: string;
  defaults: SourcedTraffic;
  overrides: Override[];
  variables: Record<string, { tokens: number; from: Origin }>;
  prices: Record<string, CustomPrice>;
  budget?: { monthlyUsd: number; from: Origin };
  thresholds: { promptTokens?: { value: number; from: Origin }; promptMonthlyUsd?: { value: number; from: Origin } };
  exclude: string[];
  /** Globs of files whose prompts run offline (`batchable:`): only they are offered the batch API. */
  batchable: string[];
  /** The size assumed for images whose size the code does not give (`images:`). */
  images?: { width: number; height: number; from: Origin };
  /** Azure deployment names → the models they run (`deployments:`). */
  deployments: Record<string, string>;
  problems: ConfigProblem[];
}

export function emptyConfig(): PromptCostConfig {
  return { defaults: {}, overrides: [], variables: {}, prices: {}, thresholds: {}, exclude: [], batchable: [], deployments: {}, problems: [] };
}
