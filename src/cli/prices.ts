// prompt-cost prices [--update [--url URL] [--timeout SECONDS]] [--format text|json]
// Without --update: which price data this machine uses. With it: fetch the price database's current data
// (the only network call prompt-cost makes, and only when asked), validate it, cache it for later runs.
// Exit codes: 0 done, 2 bad usage or the update failed (the data in use is unchanged).
import { formatOption, parse, UsageError, type Io } from './main';
import { numberOption } from './numberOptions';

export async function pricesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { update: { type: 'boolean' }, url: { type: 'string' }, timeout: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json']);
  if (positionals.length) throw new UsageError(`prices takes no positional arguments, got "${positionals[0]}"`);
  const timeout = numberOption(values.timeout, 'timeout');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prices = require('../core/prices') as typeof import('../core/prices');
  if (!values.update) {
    prices.priceDatabase(); // loads a cached update, if there is one
    const info = prices.priceDataInfo();
    if (format === 'json') io.stdout(JSON.stringify({ ...info, cacheFile: prices.priceCacheFile() }, null, 2) + '\n');
    else {
      io.stdout(`Prices: ${info.source} ${info.version} (as of ${info.asOf}), ${info.from === 'cache' ? `cached update in ${prices.priceCacheFile()}` : 'bundled with this version'}\n`);
      if (info.problem) io.stdout(`  ${info.problem}\n`);
      io.stdout('Run `prompt-cost prices --update` to fetch the current data.\n');
    }
    return 0;
  }
  const result = await prices.refreshPrices({ url: values.url as string | undefined, timeoutMs: timeout === undefined ? undefined : timeout * 1000 });
  if (format === 'json') io.stdout(JSON.stringify(result, null, 2) + '\n');
  else if (result.ok) io.stdout(`Prices updated: ${result.providers} providers, ${result.models} models from ${result.url}, fetched ${result.fetchedAt}; cached in ${result.file}\n`);
  if (!result.ok) {
    io.stderr(`prompt-cost: the price update failed: ${result.error} (${result.url}). Still using ${result.using.source} ${result.using.version} (as of ${result.using.asOf}).\n`);
    return 2;
  }
  return 0;
}
