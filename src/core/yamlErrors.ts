// What a YAML error says to the user. The `yaml` parser is recursive: a valid file nested thousands of
// levels deep overflows the stack, and its error then reads "Maximum call stack size exceeded" — which
// names the parser's problem, not the file's. Say what is wrong with the file instead.
import { isAlias, Lexer, parseDocument, visit, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

const STACK_OVERFLOW = /maximum call stack size exceeded|too much recursion/i;

export function isStackOverflow(message: string): boolean {
  return STACK_OVERFLOW.test(message);
}

/**
 * `parseDocument`, its errors made without stack traces. A broken file gives an error object per problem
 * (thousands in a large one: a pasted block repeated) and capturing each one's stack was most of the
 * parse; only their code, message and position are read.
 */
export function parseYaml(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): Document.Parsed {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(text, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The first line of a YAML error, with a stack overflow named for what it is in the file. */
export function yamlErrorText(message: string): string {
  if (isStackOverflow(message)) return 'too deeply nested (the YAML nests lists or maps hundreds of levels deep here); flatten it';
  return message.split('\n')[0];
}

/**
 * Where a "Missing closing quote" error is to be fixed: the parser reports it where the text ends (the
 * last line of the file), but the mistake is the quote that opens the scalar — found by lexing the
 * text up to the error, the last quoted token before it.
 */
export function unclosedQuoteAt(text: string, e: { code: string; message: string; pos: [number, number] }): [number, number] | undefined {
  if (e.code !== 'MISSING_CHAR' || !/closing .?quote/i.test(e.message)) return undefined;
  let offset = 0;
  let found: number | undefined;
  for (const token of new Lexer().lex(text)) {
    if (offset >= e.pos[0]) break;
    // The lexer's control tokens (document start, scalar, flow end) are not in the text.
    if (/^[\x02\x18\x1f]$/.test(token)) continue;
    if (token[0] === '"' || token[0] === "'") found = offset;
    offset += token.length;
  }
  return found === undefined ? undefined : [found, found + 1];
}

/** Aliases resolved per document at most: reading shares the anchored node, it is never copied. */
const MAX_ALIASES = 1000;

/**
 * Replaces each alias (`*name`) by the node it names, so that readers see `messages: *m` as the list
 * anchored at `&m`. An alias to one of its own ancestors (a cycle) is left as it is, and so are aliases
 * past MAX_ALIASES; readers treat a leftover alias as a value of the wrong type and say so.
 */
export function resolveAliases(doc: Document.Parsed): void {
  let resolved = 0;
  visit(doc, {
    Alias(_key, alias, path) {
      if (resolved >= MAX_ALIASES) return visit.SKIP;
      let target: Node | undefined;
      try {
        target = alias.resolve(doc) as Node | undefined;
      } catch {
        return undefined;
      }
      if (!target || isAlias(target) || (path as unknown[]).includes(target)) return undefined;
      resolved++;
      return target;
    },
  });
}
