// `prompt-cost scan --format html`: the report panel's renderer and the report's data in one file that
// needs nothing else — no network (a Content-Security-Policy that allows only the inlined script and
// style, by hash), sorting, filtering, grouping and charts as in VS Code.
import { createHash } from 'crypto';
import type { ReportViewData } from './view';

export interface WebviewAssets { js: string; css: string }

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Text that cannot end the element it sits in. */
const inScript = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function formatHtml(data: ReportViewData, assets: WebviewAssets): string {
  const js = inScript(assets.js);
  const css = assets.css.replace(/<\/(style)/gi, '<\\/$1');
  // JSON inside a data block: "<" escaped, so no text in a prompt's file name or message can close it.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const csp = [`default-src 'none'`, `script-src ${sha256(js)}`, `style-src ${sha256(css)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="prompt-cost ${escapeHtml(data.version)}">
<title>Prompt Cost — ${escapeHtml(data.rootName)}</title>
<style>${css}</style>
</head>
<body>
<main id="prompt-cost-report"></main>
<script type="application/json" id="prompt-cost-data">${json}</script>
<script>${js}</script>
</body>
</html>
`;
}
