// The question asked before the first compress request to a host: what will be sent, to which host,
// its token count and its own cost. The answer "Send" is remembered per host; anything else sends
// nothing and is asked again next time. No vscode import: the store and the dialog are passed in, so
// the rule is tested on its own (test/unit/compressConsent.test.ts).
import { consentMessage, consentPreview, consentSummary, type ConsentRequest } from '../core/compress/consent';

export type { ConsentRequest } from '../core/compress/consent';

/** The part of vscode.Memento used here. */
export interface ConsentStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface ConsentQuestion { message: string; detail: string; confirm: 'Send' }

export const consentKey = (host: string): string => `promptCost.compress.consent:${host}`;

/** The dialog's text. The preview is cut at 1,200 characters (a modal cannot scroll much further). */
export function consentQuestion(r: ConsentRequest): ConsentQuestion {
  return { message: consentMessage(r), detail: `${consentSummary(r)} Your answer is remembered for ${r.host}.\n\n${consentPreview(r.sent)}`, confirm: 'Send' };
}

/** True when the request may go: a yes remembered for the host, or one given now (then remembered). */
export async function ensureConsent(store: ConsentStore, r: ConsentRequest, ask: (q: ConsentQuestion) => Thenable<string | undefined> | Promise<string | undefined>): Promise<boolean> {
  if (store.get<boolean>(consentKey(r.host))) return true;
  const q = consentQuestion(r);
  if ((await ask(q)) !== q.confirm) return false;
  await store.update(consentKey(r.host), true);
  return true;
}
