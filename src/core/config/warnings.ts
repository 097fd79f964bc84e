// What in a config's overrides and variables changes nothing, in words: an override no prompt matches (a
// typo, a renamed file or id), a field every prompt it matches takes from a source ranked above it, and a
// variable no slot is named by. The CLI
// prints each as a `.promptcost.yaml:LINE: …` warning; the language server shows each on its line.
import { nearestNames } from '../editDistance';
import type { PromptReport } from '../model';
import { shadowedOverrideFields, unmatchedOverrides } from './resolve';
import type { PromptCostConfig } from './types';

/** One override that changes nothing: where it is written (`.promptcost.yaml:8`) and why, in words. */
export interface OverrideProblem { from: string; message: string }

/**
 * The overrides of `config` that change nothing, for a whole workspace's `prompts` (a part tells nothing);
 * `unreadable`: prompt files that could not be read (an override of theirs is not said to match nothing).
 */
export function overrideProblems(config: PromptCostConfig, prompts: PromptReport[], unreadable: readonly string[] = []): OverrideProblem[] {
  // a variable no slot of any prompt is named by sizes nothing (a typo, a renamed placeholder); with a
  // prompt file unread, its slots are unknown: said only when every prompt file was read
  const slots = new Set(prompts.flatMap((p) => p.parts.flatMap((part) => part.slots.map((x) => x.name))));
  const variables = unreadable.length ? [] : Object.entries(config.variables)
    .filter(([name]) => !slots.has(name))
    .map(([name, v]) => {
      const near = nearestNames(name, [...slots]);
      return { from: v.from, message: `the variable "${name}" is the name of no slot in any prompt, so it changes nothing${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}` };
    });
  if (!config.overrides.length) return variables;
  const ids = [...new Set(prompts.filter((p) => !p.id.startsWith(`${p.file}:`)).map((p) => p.id.replace(/#.*$/, '')))];
  return [
    ...unmatchedOverrides(config, prompts, unreadable).map((o) => ({ from: o.from, message: unmatchedText(o, o.id === undefined ? [] : nearestNames(o.id, ids)) })),
    ...shadowedOverrideFields(config, prompts).map((s) => ({ from: s.override.from, message: shadowedText(s) })),
    ...variables,
  ];
}

const which = (o: { id?: string; path?: string }) => [o.id !== undefined ? `id "${o.id}"` : '', o.path !== undefined ? `path "${o.path}"` : ''].filter(Boolean).join(' and ');

/** `the override for id "support" sets callsPerDay, which changes nothing: … — annotation:src/a.ts:3`. */
function shadowedText(s: { override: { id?: string; path?: string }; field: string; winners: string[] }): string {
  const shown = s.winners.length > 3 ? [...s.winners.slice(0, 3), `${s.winners.length - 3} more`] : s.winners;
  return `the override for ${which(s.override)} sets ${s.field}, which changes nothing: every prompt it matches takes ${s.field} from a source ranked above it — ${shown.join(', ')}`;
}

/** `the override for id "summarize" matched no prompt (…), so it changes nothing`. */
function unmatchedText(o: { id?: string; path?: string }, nearIds: string[]): string {
  const why = [
    o.id !== undefined ? `no prompt has the annotation id=${o.id}${nearIds.length ? `; did you mean ${nearIds.join(' or ')}?` : ''}` : '',
    o.path !== undefined ? 'no file with a prompt matches the glob, relative to the scanned folder' : '',
  ].filter(Boolean).join('; and ');
  return `the override for ${which(o)} matched no prompt (${why}), so it changes nothing`;
}
