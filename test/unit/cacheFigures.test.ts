// One prompt's cache figures, the same in every output: `explain`, the JSON report, the diagnostics and
// the hover take the cached tokens, the hit rate and the cost from the one CacheReport and Cost the
// engine computed, and money too small to be money prints as $0 in both formatters.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { formatPercent, formatUsd, formatUsdExact } from '../../src/core/format';
import type { ScanReport } from '../../src/core/model';
import { breakdownMarkdown, inlineSummary } from '../../src/core/report/breakdown';
import { buildPriceTable } from '../../src/core/report/priceTable';
import { toViewData } from '../../src/core/report/view';
import { priceWhatIf } from '../../src/core/whatif';
import { scanWorkspace } from '../../src/core/workspace';
import { tempDir } from '../tempDir';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: () => Buffer.alloc(0), stderrIsTTY: false, cwd, columns: 0 });
  return { code, stdout, stderr };
}

/** An Anthropic call with cache_control on its system prompt, the user message a run-time value. */
function workspace(callsPerDay: number): string {
  const ws = tempDir('pc-cachefig-');
  const system = 'You are a careful assistant who answers questions about the product manual, one section at a time. '.repeat(150).trim();
  fs.writeFileSync(path.join(ws, 'bot.py'), `import anthropic\nclient = anthropic.Anthropic()\nSYSTEM = "${system}"\n\ndef ask(question):\n    # prompt-cost: callsPerDay=${callsPerDay}\n    return client.messages.create(model="claude-sonnet-4-5", max_tokens=200, system=[{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}], messages=[{"role": "user", "content": question}])\n`);
  return ws;
}

const num = (s: string) => Number(s.replace(/[≈,]/g, ''));

describe('cache figures agree across outputs', () => {
  it('busy traffic: the hit rate is 100% everywhere, JSON included, and no cache write of float residue is priced', async () => {
    const ws = workspace(10_000);
    const report = JSON.parse((await cli(['scan', '--no-cache', '--format', 'json'], ws)).stdout) as ScanReport;
    const p = report.prompts[0];
    assert.strictEqual(p.cache!.hitRate, 1);
    assert.strictEqual(p.traffic.cacheHitRate, 1, 'the JSON traffic says the hit rate priced, not 0');
    assert.strictEqual(p.traffic.sources.cacheHitRate, p.cache!.hitRateFrom);
    assert.strictEqual(p.cost.breakdown!.cacheWriteUsd, 0);
    const explained = await cli(['explain', 'bot.py:7'], ws);
    assert.strictEqual(explained.code, 0, explained.stderr);
    assert.doesNotMatch(explained.stdout, /cache writes/);
    assert.doesNotMatch(explained.stdout, /\$0\.(?!\d)|\$0\.0{9,}/, 'no "$0." and no dollar figure below a hundred-millionth');
    assert.match(explained.stdout, /100% hit rate/);
  });

  it('the cached prefix, the read tokens and the hit rate are one set of figures in explain, JSON, the diagnostic and the hover', async () => {
    const ws = workspace(2000); // 6.9 calls a 5-minute window: 99.9% of calls hit
    const report = JSON.parse((await cli(['scan', '--no-cache', '--format', 'json'], ws)).stdout) as ScanReport;
    const p = report.prompts[0];
    const c = p.cache!;
    assert.strictEqual(c.hitRate, 0.999);
    assert.strictEqual(p.traffic.cacheHitRate, 0.999);
    // The user message opens with its run-time value: its head is in the stable prefix, but no breakpoint reaches it.
    assert.ok(c.stablePrefixTokens > c.reachablePrefixTokens, JSON.stringify(c));
    assert.strictEqual(c.cacheablePrefixTokens, c.reachablePrefixTokens);
    assert.strictEqual(c.cachedPrefixTokens, c.cacheablePrefixTokens, 'cache_control on the system prompt caches all that can be');
    assert.ok(Math.abs(p.cost.breakdown!.cacheReadTokens - c.cachedPrefixTokens * 0.999) < 1e-9);
    assert.ok(Math.abs(p.cost.monthlyUsd! - c.monthlyWithCacheUsd) < 1e-9, 'the month priced is the month with the prefix cached');

    const text = (await cli(['explain', 'bot.py:7'], ws)).stdout;
    const [, cached, pct, reads] = /cache reads .*average per call: (≈[\d,]+) cached × ([\d.]+)% hit rate = (≈[\d,.]+) tokens/.exec(text) ?? [];
    assert.ok(cached, text);
    assert.strictEqual(num(cached), c.cachedPrefixTokens);
    assert.strictEqual(pct, '99.9');
    assert.ok(Math.abs(num(reads) - p.cost.breakdown!.cacheReadTokens) < 0.01);
    const [, writes] = /cache writes .*average per call: ≈[\d,]+ cached × 0\.1% misses \(one write each\) = (≈[\d,.]+) tokens/.exec(text) ?? [];
    assert.ok(writes, text);
    assert.ok(Math.abs(num(writes) - p.cost.breakdown!.cacheWriteTokens) < 0.01);
    assert.match(text, new RegExp(`cacheable ${cached}, cached as written ${cached} at a 99\\.9% hit rate`));

    // The diagnostic and the hover: the same tokens, the saving as priced.
    const d = p.diagnostics.find((x) => x.code === 'cacheable-prefix')!;
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.match(d.message, new RegExp(`^${cached}-token stable prefix is cacheable \\(cache_control is set\\): \\${formatUsd(c.monthlyWithoutCacheUsd - p.cost.monthlyUsd!).replace('.', '\\.')}/month saved at a 99\\.9% hit rate`));
    const hover = breakdownMarkdown(p, report.prices);
    assert.match(hover, new RegExp(`\\| cacheable \\| ${cached} \\|`));
    assert.match(hover, /\| 99\.9% \|/);
    assert.match(inlineSummary(p), new RegExp(`· ${cached.slice(1)} cached, saves `));
  });

  it('a what-if that changes nothing re-prices the cached prompt at the scan\'s month (the tokens the breakpoint reaches)', async () => {
    const report = await scanWorkspace({ root: workspace(2000), workers: 0 });
    const data = toViewData(report, buildPriceTable(report, { allProviders: true }));
    const p = data.prompts[0];
    // Not the neutral what-if (that returns the report's own figures): the same hit rate, set.
    const r = priceWhatIf(p, { trafficMultiplier: 1, cacheHitRate: p.cache!.hitRate, models: {} }, data.priceTable);
    assert.ok(Math.abs(r.monthlyUsd! - p.monthlyUsd!) < 1e-9, `${r.monthlyUsd} vs ${p.monthlyUsd}`);
    assert.strictEqual(r.levers.caching, 0, 'no caching lever left: the breakpoint caches all it can');
  });

  it('money below a hundred-millionth of a dollar is $0 in both formatters; a share is never 100% unless it is', () => {
    for (const usd of [8.05e-18, -3e-20, 4.9e-9]) {
      assert.strictEqual(formatUsd(usd), '$0');
      assert.strictEqual(formatUsdExact(usd), '$0');
    }
    assert.strictEqual(formatUsd(1.2e-8), '$0.00000001');
    assert.strictEqual(formatUsdExact(0.00001935), '$0.00001935');
    assert.deepStrictEqual([1, 0.999, 0.9999, 0.99999, 0.82, 0, 0.00004].map((x) => formatPercent(x)), ['100%', '99.9%', '99.99%', '>99.99%', '82%', '0%', '<0.01%']);
    assert.strictEqual(formatPercent(0.8238, 2), '82.38%');
  });
});
