// The report panel's entry point (browser bundle). In VS Code it talks to the extension through
// acquireVsCodeApi; in `scan --format html` the data is inlined as JSON and there is no host.
import './styles.css';
import type { ReportViewData } from '../core/report/view';
import { DEFAULT_STATE, ReportApp, type Host } from './app';
import type { ToWebview, ViewState, VsCodeApi } from './protocol';

declare function acquireVsCodeApi(): VsCodeApi;

function restore(saved: unknown): ViewState {
  if (!saved || typeof saved !== 'object') return DEFAULT_STATE;
  const s = saved as Partial<ViewState>;
  return { ...DEFAULT_STATE, ...s, sort: { ...DEFAULT_STATE.sort, ...s.sort }, whatIf: { ...DEFAULT_STATE.whatIf, ...s.whatIf } };
}

function start(): void {
  const mount = document.getElementById('prompt-cost-report') ?? document.body;
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  const host: Host = api
    ? { interactive: true, post: (m) => api.postMessage(m), saveState: (s) => api.setState(s) }
    : { interactive: false, post: () => undefined, saveState: () => undefined };
  const app = new ReportApp(mount, host, restore(api?.getState()));
  const inline = document.getElementById('prompt-cost-data');
  if (inline?.textContent) app.setData(JSON.parse(inline.textContent) as ReportViewData);
  window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
    if (e.data && typeof e.data === 'object' && 'type' in e.data) app.receive(e.data);
  });
  api?.postMessage({ type: 'ready' });
}

start();
