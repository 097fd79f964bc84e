// prompt-cost prices [--update [--url URL] [--timeout SECONDS]] [--format text|json]
// Without --update: which price data this machine uses. With it: fetch the price database's current data
// (the only network call prompt-cost makes, and only when asked), validate it, cache it for later runs.
// Exit codes: 0 done, 2 bad usage or the update failed (the data in use is unchanged).
import { formatOption, numberOption, parse, UsageError, type Io } from './main';

export const PRICES_USAGE = 'prompt-cost prices [--update] [--url URL] [--timeout SECONDS] [--format text|json]';

const HELP = `Usage:
  ${PRICES_USAGE}

Shows which price data prompt-cost uses: the data bundled with this version of @pydantic/genai-prices,
or an update fetched earlier, with its date.

  --update            fetch the current data from where @pydantic/genai-prices publishes it, check it,
                      and keep it in the user's cache (~/.cache/prompt-cost/prices, or
                      PROMPT_COST_CACHE_DIR); later runs use it. On any failure the data in use stays.
  --url URL           fetch from URL instead (a mirror); PROMPT_COST_PRICES_URL does the same
  --timeout SECONDS   give up after this long (default 15)

Nothing is fetched without --update: no other command touches the network.
Exit codes: 0 done · 2 bad usage, or the update failed (the message says why).
`;

export async function pricesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { update: { type: 'boolean' }, url: { type: 'string' }, timeout: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
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
