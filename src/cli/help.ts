// Every command's usage line and --help text, in one place: `prompt-cost --help` lists the same usage
// lines the commands print, and a test holds the README's CLI block and each parser's options to them.
// Only constants are imported here: `count` must start fast.
import { BUILT_IN_DEFAULTS } from '../core/config/resolve';
import { PRICE_DATA } from '../core/prices/priceData.generated';
import { TOOL_VERSION } from '../core/version';

export const COMMANDS = ['count', 'cost', 'scan', 'diff', 'explain', 'prices', 'compress'] as const;
export type Command = (typeof COMMANDS)[number];

/** One usage line per command (wrapped for the terminal; the README writes each on one line). */
export const USAGE: Record<Command, string> = {
  count: 'prompt-cost count [FILE|-] [--model M] [--format text|json]',
  cost: `prompt-cost cost --model M --input N [--output N] [--cached-input N] [--calls-per-day N]
                   [--days-per-month N] [--config FILE] [--format text|json]`,
  scan: `prompt-cost scan [PATH...] [--format table|json|markdown|csv|sarif|html] [--config FILE]
                   [--max-monthly USD] [--no-heuristics] [--no-cache]`,
  diff: `prompt-cost diff --base REF [PATH] [--head REF] [--format table|json|markdown|sarif]
                   [--max-increase-usd N] [--max-increase-pct P] [--config FILE] [--all]
                   [--no-heuristics] [--no-cache]`,
  explain: 'prompt-cost explain FILE:LINE [--id ID] [--config FILE] [--format text|json]',
  prices: 'prompt-cost prices [--update] [--url URL] [--timeout SECONDS] [--format text|json]',
  compress: `prompt-cost compress FILE:LINE [--part N] [--model M] [--base-url URL] [--timeout SECONDS]
                   [--yes] [--apply] [--format text|json]`,
};

const usage = (c: Command) => `Usage:\n  ${USAGE[c]}\n`;

export const GENERAL_HELP = `prompt-cost ${TOOL_VERSION} — what your LLM prompts cost, before the bill does.

Usage:
${COMMANDS.map((c) => `  ${USAGE[c]}`).join('\n')}

Run \`prompt-cost COMMAND --help\` for a command's options, examples and exit codes.

Exit codes (every command):
  0  done (scan: within the budget, or no budget set; diff: within the increase limits)
  1  scan: the projected monthly total is over the budget (--max-monthly or budget.monthlyUsd);
     diff: the change raises the bill past --max-increase-usd or --max-increase-pct;
     compress: the rewrite was rejected, the request failed, or you did not say yes to sending it
  2  nothing was priced as asked: bad usage, a model cost does not know, or an input named on the
     command line (FILE, PATH, --config) or the .promptcost.yaml that is missing, unreadable, not a
     regular file, not UTF-8, not valid YAML, or not a mapping of fields (text, a list), or whose
     budget/thresholds cannot be read; the message names it (file:line); scan with a budget: a
     prompt unpriced for a model name that looks like a typo of a priced one (its cost would be
     missing from the total), or a prompt file that cannot be parsed (broken YAML or frontmatter:
     file:line and what is wrong); diff with a limit: the same for the head's prompt files. Files
     the scan finds itself that cannot be read are listed under
     "Skipped" instead, and any other config field with a bad value is an invalid-config
     diagnostic (an error by default) that leaves the field out: the run goes on, exit code unchanged.
  3  a bug in prompt-cost (please report it, with PROMPT_COST_DEBUG=1 for the stack)
Prices: ${PRICE_DATA.source} ${PRICE_DATA.version} bundled (as of ${PRICE_DATA.asOf}); \`prompt-cost prices\` shows the data in use.
`;

export const COMMAND_HELP: Record<Command, string> = {
  count: `${usage('count')}
Counts the tokens of a text (FILE, or standard input when FILE is - or left out) in the model's
tokenizer: exact for OpenAI models (tiktoken), a labelled estimate (≈) for the others.

Options:
  --model M        the model whose tokenizer counts (default ${BUILT_IN_DEFAULTS.model})
  --format F       text (default), or json: {"tokens", "encoding", "exact", "model"}

Examples:
  prompt-cost count prompts/system.txt --model gpt-4o
  echo "You are a helpful assistant." | prompt-cost count --model claude-sonnet-4-5

Exit codes: 0 counted (a model the price data does not know is warned about, and still counted)
· 2 bad usage, or FILE cannot be read.
`,
  cost: `${usage('cost')}
Prices one call of N input and N output tokens, and the day and month at the traffic given, from
the bundled price data (and the custom prices of .promptcost.yaml or --config FILE).

Options:
  --model M            the model priced (required)
  --input N            input tokens per call (required)
  --output N           output tokens per call (default 0)
  --cached-input N     of the input, tokens read from the provider's prompt cache
  --calls-per-day N    traffic (default ${BUILT_IN_DEFAULTS.callsPerDay})
  --days-per-month N   days of traffic a month, 1 to 31 (default ${BUILT_IN_DEFAULTS.daysPerMonth})
  --config FILE        a .promptcost.yaml other than the nearest one (from the current folder up)
  --format F           text (default), or json: the figures and the prices used

Examples:
  prompt-cost cost --model gpt-4o --input 1200 --output 300 --calls-per-day 5000
  prompt-cost cost --model claude-sonnet-4-5 --input 8000 --cached-input 6000 --output 500 --format json

Exit codes: 0 priced · 2 bad usage, a model the price data does not know (the nearest names are
suggested; add its price under prices: in .promptcost.yaml), or a config that cannot be read.
`,
  scan: `${usage('scan')}
Finds the LLM prompts in code and prompt files under PATH (default: the current folder), counts and
prices each at its traffic, and prints the report. The root (ids are relative to it; its
.promptcost.yaml applies) is the folder of the nearest .promptcost.yaml from the folder holding every
PATH given (else the current folder) upwards, stopping at the git root; with none, the current folder
(or that folder, when it is outside the current one). Only PATH is walked.

Options:
  --format F         table (default), json, markdown, csv, sarif (code scanning), or html (one
                     self-contained file with sorting, filtering, grouping and charts)
  --config FILE      a .promptcost.yaml other than the root's
  --max-monthly USD  exit 1 when the projected monthly total is over USD (else budget.monthlyUsd)
  --no-heuristics    only calls of known SDKs and prompt files (no name-based guesses)
  --no-cache         do not read or write the per-file detection cache

Examples:
  prompt-cost scan
  prompt-cost scan src --format markdown > cost.md
  prompt-cost scan --format html > prompt-cost.html
  prompt-cost scan --max-monthly 500 --format sarif > prompt-cost.sarif

Exit codes: 0 within the budget, or no budget set · 1 the projected monthly total is over
--max-monthly or budget.monthlyUsd · 2 bad usage, a PATH or config that cannot be read or used, a
total that is not a finite number, or (with a budget) a prompt unpriced for a model name that looks
like a typo of a priced one (gpt-4o-mnii) or a prompt file that cannot be parsed (file:line and what
is wrong; without a budget a warning). Unpriced models with no near match are a warning only.
`,
  diff: `${usage('diff')}
What a change does to the monthly bill: the prompts of REF (read from git objects — no checkout; your
work tree, index and HEAD are untouched) against the work tree, or against --head REF. Each side uses
its own .promptcost.yaml unless --config gives one for both. Prompts are paired by annotation id, then
by file (following renames) and text; each is added, removed, changed, moved or unchanged (unchanged ones
are listed only with --all). Every format states the result against the limits given.

Options:
  --base REF             the side to compare with: a branch, tag, commit or HEAD~1 (required)
  PATH                   the folder compared (default: the current folder)
  --head REF             compare with REF instead of the work tree
  --format F             table (default), json, markdown (a pull-request comment) or sarif
  --max-increase-usd N   exit 1 when the monthly total grows by more than N USD
  --max-increase-pct P   exit 1 when it grows by more than P percent of the base total
  --config FILE          one .promptcost.yaml for both sides
  --all                  list unchanged prompts too
  --no-heuristics        only calls of known SDKs and prompt files (no name-based guesses)
  --no-cache             analyse every file afresh (by default files whose text and imports are
                         unchanged are read from the scan cache in the user's cache folder)

Examples:
  prompt-cost diff --base origin/main
  prompt-cost diff --base origin/main --max-increase-usd 500 --format markdown > comment.md
  prompt-cost diff --base v1.2.0 --head HEAD --format json

Exit codes: 0 within the limits, or none given · 1 over --max-increase-usd or --max-increase-pct
· 2 bad usage, an unknown ref (the message says how to fetch it), a config that cannot be used, or
(with a limit) a prompt file the head cannot parse: its prompts show as unreadable, not removed.
`,
  explain: `${usage('explain')}
Prints the full arithmetic of one prompt: each part's tokens and where it is written, the slots and
where their sizes come from, tools, schema and images item by item with the method used, the chat
overhead, the price rows (per million input, cache read, cache write, output, and the tier in force),
and the sums per call, per day and per month with the traffic and its sources. LINE is 1-based; the
prompt whose call or text holds that line is explained (else the nearest prompts are listed); on a
line of an agent (where it is built, its instructions) it is the agent's run, which sends it. When
several prompts use the line (a constant two calls send), they are listed on stderr and the first is
explained; --id picks another. A notebook cell is FILE:cellN:LINE, cells and lines 1-based as the
editor counts them. The text wraps
to the terminal's width. The config is the nearest .promptcost.yaml from the current folder upwards
(stopping at the git root), as for scan, unless --config names another file.

Options:
  --id ID         of the prompts that use LINE, the one with this id (as listed, or scan --format json)
  --config FILE   a .promptcost.yaml other than the nearest one
  --format F      text (default), or json: the same steps as data

Examples:
  prompt-cost explain src/support_bot.ts:41
  prompt-cost explain notebooks/agent.ipynb:cell3:12 --format json

Exit codes: 0 done · 2 bad usage, a file that cannot be read, or no prompt at that line.
`,
  prices: `${usage('prices')}
Shows which price data prompt-cost uses: the data bundled with this version of @pydantic/genai-prices,
or an update fetched earlier, with its date. Nothing is fetched without --update. The only other
command that makes a network request is compress (to the model endpoint, after it says what it sends).

Options:
  --update            fetch the current data from where @pydantic/genai-prices publishes it, check it,
                      and keep it in the user's cache (~/.cache/prompt-cost/prices, or
                      PROMPT_COST_CACHE_DIR); later runs use it. On any failure the data in use stays.
  --url URL           fetch from URL instead (a mirror); PROMPT_COST_PRICES_URL does the same
  --timeout SECONDS   give up after this long (default 15)
  --format F          text (default), or json

Examples:
  prompt-cost prices
  prompt-cost prices --update

Exit codes: 0 done · 2 bad usage, or the update failed (the message says why).
`,
  compress: `${usage('compress')}
Rewrites the prompt part whose text is on LINE (else the largest static part of the prompt whose range
holds LINE — on an agent run's line whose input is a run-time value, the agent's instructions — and a
note says which; or part N with --part) with a cheap model, keeping every placeholder, and prints the
unified diff and the saving — summed over every prompt that sends the text (a constant other files
import), each at its own model and traffic, as scan prices them (stdout holds the result only: notes,
the question and errors go to stderr). Before the text goes to the model's host, compress shows it (with the host, its tokens and
the request's cost) and asks on the terminal; --yes sends without asking (it still says which text goes
to which host and model), and is needed where standard input is not a terminal (CI, scripts). A reply
from the cache asks nothing.
Nothing is written unless --apply. The key is read from OPENAI_API_KEY (a server of your own at
--base-url needs none: without one, no Authorization header is sent).

Options:
  --part N           the prompt's Nth part (1-based) instead of the one on LINE
  --model M          the rewriting model (default gpt-4o-mini)
  --base-url URL     any OpenAI-compatible endpoint (else OPENAI_BASE_URL, else OpenAI's)
  --timeout SECONDS  give up after this long (default 60): one limit for the whole call, its
                     retries (429, 5xx, connection errors) and the pauses before them included
  --yes, -y          send without asking (required when standard input is not a terminal)
  --apply            write the rewrite into FILE
  --format F         text (default), or json: one object with status, reason, before, after, saved,
                     warnings, diff, applied

Examples:
  prompt-cost compress src/support_bot.ts:41
  prompt-cost compress prompts/support.prompty:12 --base-url http://localhost:11434/v1 --model llama3.2 --apply

Exit codes: 0 ok or no saving · 1 rejected, error (API, network, timeout) or not sent (no yes) · 2 bad
usage, including no key, or no terminal to ask on and no --yes (nothing is sent).
`,
};
