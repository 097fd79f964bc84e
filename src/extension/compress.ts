// The VS Code side of "Compress prompt". The network call happens here, where the key is: the key is read
// from SecretStorage (or OPENAI_API_KEY) for each request and passed to the SDK, never to the server,
// a setting, a log or an output channel. Before the first request to a host the user sees what will be
// sent, to which host, its tokens and its own cost, and says yes (remembered per host). The result is a
// diff of two read-only documents titled with the saving; Apply makes one versioned, undoable edit.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompressCache, cacheKey } from '../core/compress/cache';
import { ChatError, chatRewrite, hostOf } from '../core/compress/chat';
import { consentKey, ensureConsent, type ConsentQuestion } from './compressConsent';
import {
  CompressFinishRequest, CompressPrepareRequest, TidyRequest,
  type CompressOutcome, type CompressPrepared, type CompressTarget,
} from '../server/protocol';

const SECRET = 'promptCost.openaiApiKey';
const SCHEME = 'prompt-cost-compress';

export interface CompressApi {
  /** The last result shown, with its Apply (tests and scripts; the user clicks the button). */
  pending(): { result: CompressOutcome; apply: () => Promise<boolean> } | undefined;
  /** Records a yes for `host`, as the consent dialog does. */
  allowHost(host: string): Promise<void>;
  /** Answers the consent question instead of the modal dialog (tests: the dialog cannot be clicked); undefined restores the dialog. */
  answerConsent(answer: ((q: ConsentQuestion) => string | undefined) | undefined): void;
}

export function registerCompress(context: vscode.ExtensionContext, client: LanguageClient): CompressApi {
  const cache = new CompressCache();
  const docs = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let pending: { result: CompressOutcome; apply: () => Promise<boolean> } | undefined;
  let counter = 0;
  let consentAnswer: ((q: ConsentQuestion) => string | undefined) | undefined;
  const askConsent = async (q: ConsentQuestion): Promise<string | undefined> =>
    consentAnswer ? consentAnswer(q) : vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.confirm);

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => docs.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand('promptCost.setApiKey', async (key?: string) => {
      const value = typeof key === 'string' ? key : await vscode.window.showInputBox({
        title: 'Prompt Cost: API key for Compress prompt', prompt: 'Stored in VS Code\'s secret storage, sent only to the compress endpoint. Empty removes it.', password: true, ignoreFocusOut: true,
      });
      if (value === undefined) return;
      if (value.trim()) await context.secrets.store(SECRET, value.trim());
      else await context.secrets.delete(SECRET);
      if (typeof key !== 'string') void vscode.window.showInformationMessage(value.trim() ? 'Prompt Cost: API key saved in secret storage.' : 'Prompt Cost: API key removed.');
    }),
    vscode.commands.registerCommand('promptCost.compressPrompt', (target?: CompressTarget) => run(target, false)),
    vscode.commands.registerCommand('promptCost.tidyPrompt', (target?: CompressTarget) => run(target, true)),
  );

  function settings() {
    const c = vscode.workspace.getConfiguration('promptCost.compress');
    // baseURL is a machine-scoped setting; read the user/machine value only, whatever a workspace file says.
    const base = c.inspect<string>('baseURL');
    const baseURL = (base?.globalValue ?? base?.defaultValue ?? '').trim() || undefined;
    return { model: c.get<string>('model') || 'gpt-4o-mini', baseURL, timeoutSeconds: c.get<number>('timeoutSeconds') ?? 60 };
  }

  function cursorTarget(): CompressTarget | undefined {
    const e = vscode.window.activeTextEditor;
    return e ? { uri: e.document.uri.toString(), version: e.document.version, position: e.selection.active } : undefined;
  }

  async function run(given: CompressTarget | undefined, tidy: boolean): Promise<CompressOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Prompt Cost: compress is off in untrusted workspaces.');
      return undefined;
    }
    const target = given ?? cursorTarget();
    if (!target) {
      void vscode.window.showInformationMessage('Prompt Cost: open a file and put the cursor in a prompt.');
      return undefined;
    }
    if (tidy) {
      const r = await client.sendRequest<CompressOutcome | { error: string }>(TidyRequest, target);
      return show(r, 'Tidy prompt whitespace');
    }
    const s = settings();
    const apiKey = (await context.secrets.get(SECRET)) || process.env.OPENAI_API_KEY;
    if (!apiKey) {
      const pick = await vscode.window.showWarningMessage('Prompt Cost: compress needs an API key for an OpenAI-compatible endpoint (none in secret storage, no OPENAI_API_KEY). Nothing was sent.', 'Set API Key');
      if (pick === 'Set API Key') await vscode.commands.executeCommand('promptCost.setApiKey');
      return undefined;
    }
    const prepared = await client.sendRequest<CompressPrepared | { error: string }>(CompressPrepareRequest, { target, model: s.model });
    if ('error' in prepared) {
      void vscode.window.showErrorMessage(prepared.error);
      return undefined;
    }
    const host = hostOf(s.baseURL);
    const key = cacheKey({ messages: prepared.messages, model: s.model, baseURL: s.baseURL });
    let reply = cache.get(key);
    const cached = !!reply;
    if (!reply) {
      const consent = { host, model: s.model, file: prepared.file, line: prepared.line, requestTokens: prepared.requestTokens, requestCostUsd: prepared.requestCostUsd, sent: prepared.messages.find((m) => m.role === 'user')?.content ?? '' };
      if (!(await ensureConsent(context.globalState, consent, askConsent))) return undefined;
      try {
        reply = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Prompt Cost: compressing with ${s.model} at ${host}…`, cancellable: true },
          (_, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return chatRewrite({ apiKey, baseURL: s.baseURL, model: s.model, messages: prepared.messages, timeoutMs: s.timeoutSeconds * 1000, signal: abort.signal });
          },
        );
      } catch (e) {
        if (e instanceof ChatError) {
          if (e.kind !== 'cancelled') {
            const action = e.kind === 'auth' ? await vscode.window.showErrorMessage(`Prompt Cost: ${e.message}. Nothing was changed.`, 'Set API Key') : (void vscode.window.showErrorMessage(`Prompt Cost: ${e.message}. Nothing was changed.`), undefined);
            if (action === 'Set API Key') await vscode.commands.executeCommand('promptCost.setApiKey');
          }
          return undefined;
        }
        throw e;
      }
      cache.set(key, reply);
    }
    const r = await client.sendRequest<CompressOutcome | { error: string }>(CompressFinishRequest, { id: prepared.id, reply: reply.text, usage: reply.usage, cached });
    return show(r, 'Compress prompt', prepared.notes);
  }

  async function show(r: CompressOutcome | { error: string }, what: string, notes: string[] = []): Promise<CompressOutcome | undefined> {
    if ('error' in r) {
      void vscode.window.showErrorMessage(r.error);
      return undefined;
    }
    if (r.status !== 'ok' || !r.edit || !r.after) {
      const say = r.status === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void say(`Prompt Cost: ${what}: ${r.status === 'rejected' ? 'refused — ' : ''}${r.reason ?? r.status}. Nothing was changed.`);
      return r;
    }
    const n = ++counter;
    const left = vscode.Uri.from({ scheme: SCHEME, path: `/${n}/before/${r.file.split('/').pop()}.txt` });
    const right = vscode.Uri.from({ scheme: SCHEME, path: `/${n}/after/${r.file.split('/').pop()}.txt` });
    docs.set(left.toString(), r.before.text);
    docs.set(right.toString(), r.after.text);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${what}: ${r.title}`, { preview: true });
    const apply = async (): Promise<boolean> => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
      if (!doc || doc.version !== r.version) {
        void vscode.window.showWarningMessage('Prompt Cost: the file changed — run compress again.');
        return false;
      }
      const edit = new vscode.WorkspaceEdit();
      const g = r.edit!.range;
      edit.replace(doc.uri, new vscode.Range(g.start.line, g.start.character, g.end.line, g.end.character), r.edit!.newText);
      const ok = await vscode.workspace.applyEdit(edit);
      if (!ok) void vscode.window.showErrorMessage('Prompt Cost: the edit could not be applied. Nothing was changed.');
      // Back to the document (a notebook: its cell), so that one Undo there takes the rewrite back.
      else await showDocument(doc, new vscode.Range(g.start.line, g.start.character, g.start.line, g.start.character));
      if (pending?.result === r) pending = undefined;
      return ok;
    };
    pending = { result: r, apply };
    const warnings = r.warnings.length ? ` Check: ${r.warnings.join('; ')}.` : '';
    const extra = [...notes, ...(r.notes ?? [])].filter((x, i, a) => a.indexOf(x) === i);
    void vscode.window.showInformationMessage(`Prompt Cost: ${r.title}.${warnings}${extra.length ? ` (${extra.join('; ')})` : ''}`, 'Apply', 'Discard').then(async (pick) => {
      if (pick === 'Apply') await apply();
      else if (pending?.result === r) pending = undefined;
    });
    return r;
  }

  return {
    pending: () => pending,
    allowHost: async (host) => context.globalState.update(consentKey(host), true),
    answerConsent: (answer) => { consentAnswer = answer; },
  };
}

/** The edited text in its editor: a file's, or a notebook cell's in the notebook editor. */
async function showDocument(doc: vscode.TextDocument, selection: vscode.Range): Promise<void> {
  const cell = vscode.workspace.notebookDocuments.flatMap((nb) => nb.getCells().map((c) => ({ nb, c }))).find((x) => x.c.document === doc);
  if (!cell) {
    await vscode.window.showTextDocument(doc, { selection });
    return;
  }
  const range = new vscode.NotebookRange(cell.c.index, cell.c.index + 1);
  await vscode.window.showNotebookDocument(cell.nb, { selections: [range] });
  // Into the cell's editor: Undo there (not the notebook's own stack) takes the rewrite back.
  await vscode.commands.executeCommand('notebook.cell.edit');
}
