// Command-line options: node's parseArgs (strict), with its errors said the way a user can act on —
// `unknown option --fromat (did you mean --format?)` — instead of node's advice about positionals.
import { parseArgs, type ParseArgsConfig } from 'util';
import { nearestNames } from '../core/editDistance';
import { UsageError } from './inputs';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** The options of `options` nearest to `given` (`--fromat` → `--format`), or those it is a prefix of. */
export function nearestOptions(given: string, options: Options): string[] {
  return nearestNames(given.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(options));
}

export { nearestNames };

const list = (names: string[]) => names.map((n) => `--${n}`).join(names.length === 2 ? ' or ' : ', ');

/** Strict parsing of one command's arguments; every parse error a UsageError (exit 2) naming the option. */
export function parse(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  // A value that starts with a dash and a digit (`--input -5`) is that option's value, not an option:
  // it reaches the option's own check ("must be a whole number") instead of parseArgs's "ambiguous".
  args = args.flatMap((a, i) => (/^-\d/.test(args[i + 1] ?? '') && isStringOption(a, options) ? [`${a}=${args[i + 1]}`] : /^-\d/.test(a) && i > 0 && isStringOption(args[i - 1], options) ? [] : [a]));
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    const empty = emptyValueText(values);
    if (empty) throw new UsageError(empty);
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(optionErrorText(e, options));
  }
}

/**
 * `--model ""` (an unset shell variable, `--model=`): the message for the first option given an empty or
 * blank value, or undefined. No option means anything empty, and taken as given it would print
 * `estimated for  for` or look for a config named "".
 */
export function emptyValueText(values: Record<string, unknown>): string | undefined {
  const name = Object.keys(values).find((k) => typeof values[k] === 'string' && (values[k] as string).trim() === '');
  return name === undefined ? undefined : `--${name} needs a value, got an empty one ("${values[name]}"; an unset shell variable?): write --${name} VALUE`;
}

function isStringOption(arg: string, options: Options): boolean {
  if (!arg.startsWith('-') || arg.includes('=')) return false;
  const name = arg.startsWith('--') ? arg.slice(2) : Object.keys(options).find((n) => options[n].short === arg.slice(1));
  return !!name && options[name]?.type === 'string';
}

/** parseArgs's error `e` in words: what is wrong with which option, and the nearest ones when unknown. */
export function optionErrorText(error: unknown, options: Options): string {
  const e = error as Error & { code?: string };
  const quoted = /'(-[^' ]*)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) {
    const near = nearestOptions(quoted, options);
    const known = Object.keys(options).filter((n) => n !== 'help');
    return `unknown option ${quoted}${near.length ? ` (did you mean ${list(near)}?)` : known.length ? ` (the options are ${list(known)})` : ' (this command takes no options)'}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) {
    const name = quoted.replace(/^-+/, '').replace(/ .*$/, '');
    if (/argument missing/.test(e.message)) return `--${name} needs a value (--${name} VALUE)`;
    if (/argument is ambiguous/.test(e.message)) return `--${name} needs a value, and what follows it is an option (write --${name}=VALUE for a value that starts with a dash)`;
    if (/does not take an argument/.test(e.message)) return `--${name} takes no value (write --${name} alone)`;
  }
  return e.message.replace(/^TypeError \[\w+\]: /, '');
}
