// Workspace level: prompts of one provider that start with the same long static text. One cache entry
// (or one shared constant) could serve them all; listed in the scan report as shared-prefix.
import type { DetectedPrompt, PromptReport } from '../model';
import { findSlots, stripTemplateControl } from '../detect/slots';

/** The static text a prompt starts with, up to its first run-time value. */
export function stablePrefixText(d: DetectedPrompt): string {
  let out = '';
  for (const p of d.parts) {
    const firstSlot = p.syntaxes.length ? findSlots(p.text, p.syntaxes)[0]?.start : p.slotOffsets?.[0] ?? (p.slots.length ? p.text.length : undefined);
    out += `\n[${p.role}]\n` + stripTemplateControl(firstSlot === undefined ? p.text : p.text.slice(0, firstSlot));
    if (firstSlot !== undefined) break;
  }
  return out;
}

export interface SharedPrefix { prompts: string[]; tokens: number }

/**
 * Groups of prompts (same provider) whose stable prefixes share at least `minTokens` tokens.
 * `count` turns text into tokens for the group's model.
 */
export function findSharedPrefixes(items: { report: PromptReport; prefix: string }[], count: (text: string, report: PromptReport) => number, minTokens = 1024): SharedPrefix[] {
  const byProvider = new Map<string, { report: PromptReport; prefix: string }[]>();
  for (const it of items) {
    if (!it.report.cache || it.prefix.length < minTokens) continue; // a token is at least one character
    const key = it.report.cache.provider;
    byProvider.set(key, [...(byProvider.get(key) ?? []), it]);
  }
  const groups: SharedPrefix[] = [];
  for (const list of byProvider.values()) {
    list.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    let current: { ids: string[]; common: string } | undefined;
    const close = () => {
      if (current && current.ids.length > 1) {
        const tokens = count(current.common, list[0].report);
        if (tokens >= minTokens) groups.push({ prompts: current.ids, tokens });
      }
      current = undefined;
    };
    for (let i = 0; i < list.length; i++) {
      const next = list[i + 1];
      if (!next) break;
      let n = 0;
      const a = list[i].prefix;
      const b = next.prefix;
      while (n < a.length && n < b.length && a.charCodeAt(n) === b.charCodeAt(n)) n++;
      if (n >= minTokens && count(a.slice(0, n), list[i].report) >= minTokens) {
        if (!current) current = { ids: [list[i].report.id], common: a.slice(0, n) };
        else current.common = current.common.slice(0, Math.min(current.common.length, n));
        if (!current.ids.includes(next.report.id)) current.ids.push(next.report.id);
      } else close();
    }
    close();
  }
  return groups.sort((a, b) => b.tokens - a.tokens);
}
