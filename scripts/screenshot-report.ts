// npm run screenshot:report — regenerates media/report.png: the report panel's renderer (the same
// bundle VS Code loads) over the demo workspace in headless Chromium, with VS Code's Dark Modern
// theme colours as the panel receives them. Run it under the shared lock.
import * as fs from 'fs';
import * as path from 'path';
import { demoData, launch, openPanel } from '../test/webview/browser';
import { ROOT } from '../test/integration/vscodeHost';

const OUT = path.join(ROOT, 'media', 'report.png');

/** A few of Dark Modern's colours, as VS Code sets them on a webview's root element. */
const DARK_MODERN: Record<string, string> = {
  '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b', '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-focusBorder': '#0078d4', '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700', '--vscode-charts-red': '#f14c4c', '--vscode-charts-lines': '#838383', '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-sideBarSectionHeader-background': '#181818', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px',
};

async function main() {
  const browser = await launch();
  try {
    const data = await demoData();
    const { page } = await openPanel(browser, data, { viewport: { width: 1280, height: 1180 } });
    await page.evaluate(`(() => { const s = document.documentElement.style; for (const [k, v] of Object.entries(${JSON.stringify(DARK_MODERN)})) s.setProperty(k, v); })()`);
    const top = data.prompts.find((p) => p.file === 'src/support_bot.ts') ?? data.prompts[0];
    await page.getByRole('row', { name: new RegExp(`^${top.file}:${top.line},`) }).click();
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT, fullPage: true });
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
