// `prompt-cost scan --format html`: the report panel's renderer and the report's data in one file that
// needs nothing else — no network (a Content-Security-Policy that allows only the inlined script and
// style, by hash), sorting, filtering, grouping and charts as in VS Code.
import { createHash } from 'crypto';
import { escapeHtml, reportShell } from './htmlShell';
import type { ReportViewData } from './view';

export interface WebviewAssets { js: string; css: string }

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Text that cannot end the element it sits in. */
const inScript = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export function formatHtml(data: ReportViewData, assets: WebviewAssets): string {
  const js = inScript(assets.js);
  const css = assets.css.replace(/<\/(style)/gi, '<\\/$1');
  // JSON inside a data block: "<" escaped, so no text in a prompt's file name or message can close it.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return reportShell({
    allow: { 'script-src': [sha256(js)], 'style-src': [sha256(css)], 'img-src': ['data:'] },
    title: `Prompt Cost — ${data.rootName}`,
    head: [`<meta name="generator" content="prompt-cost ${escapeHtml(data.version)}">`, `<style>${css}</style>`],
    body: [`<script type="application/json" id="prompt-cost-data">${json}</script>`, `<script>${js}</script>`],
  });
}
