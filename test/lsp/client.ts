// A minimal LSP client for protocol tests: spawns `node dist/server.js --stdio`, answers the server's
// requests (configuration, progress, refresh), and lets tests wait for notifications — never sleep.
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, ProgressType, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface Published { uri: string; version?: number; diagnostics: { code?: string | number; message: string; severity?: number; range: unknown; codeDescription?: { href: string } }[] }

export class TestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  settings: Record<string, unknown> = {};
  /** Answers to workspace/configuration wait for this: a client slow to answer (each request is also seen as `(client) workspace/configuration`). */
  configurationGate: Promise<void> = Promise.resolve();
  private listeners: { method: string; accept: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  readonly seen: { method: string; params: any }[] = [];
  stderr = '';

  constructor(serverJs = path.join(__dirname, '..', '..', 'dist', 'server.js')) {
    this.proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      this.notify('(client) workspace/configuration', p);
      await this.configurationGate;
      return p.items.map(() => this.settings);
    });
    // $/progress is routed by token, not to the catch-all handler: subscribe when the server creates one.
    this.conn.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.conn.onProgress(new ProgressType<{ kind: string }>(), p.token, (value) => this.notify('$/progress', { token: p.token, value }));
      return null;
    });
    this.conn.onRequest('client/registerCapability', () => null);
    // Seen as `(server) workspace/codeLens/refresh`: a test can wait for the server to ask.
    this.conn.onRequest('workspace/codeLens/refresh', () => (this.notify('(server) workspace/codeLens/refresh', null), null));
    this.conn.onRequest('workspace/inlayHint/refresh', () => (this.notify('(server) workspace/inlayHint/refresh', null), null));
    this.conn.onNotification((method: string, params: any) => this.notify(method, params));
    this.conn.listen();
  }

  private notify(method: string, params: any): void {
    this.seen.push({ method, params });
    for (const l of [...this.listeners]) {
      if (l.method === method && l.accept(params)) {
        this.listeners.splice(this.listeners.indexOf(l), 1);
        l.resolve(params);
      }
    }
  }

  /** The next notification `method` whose params satisfy `accept` (also one that already arrived, if `past`). */
  next<T = any>(method: string, accept: (p: T) => boolean = () => true, past = false): Promise<T> {
    if (past) {
      const hit = [...this.seen].reverse().find((s) => s.method === method && accept(s.params));
      if (hit) return Promise.resolve(hit.params);
    }
    return new Promise((resolve) => this.listeners.push({ method, accept, resolve }));
  }

  diagnostics(uri: string, accept: (p: Published) => boolean = () => true): Promise<Published> {
    return this.next<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && accept(p));
  }

  async initialize(root: string, initializationOptions: Record<string, unknown> = {}) {
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } }, window: { workDoneProgress: true } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  open(uri: string, languageId: string, text: string, version = 1) {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  close(uri: string) {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** An incremental change, as VS Code sends one keystroke: replace `range` with `text`. */
  edit(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string) {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  change(uri: string, version: number, text: string) {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  hover(uri: string, line: number, character: number) {
    return this.conn.sendRequest<{ contents: { value: string }; range: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  codeLens(uri: string) {
    return this.conn.sendRequest<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri } });
  }

  async stop() {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    this.conn.dispose();
    this.proc.kill();
  }
}
