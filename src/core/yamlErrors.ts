// What a YAML error says to the user. The `yaml` parser is recursive: a valid file nested thousands of
// levels deep overflows the stack, and its error then reads "Maximum call stack size exceeded" — which
// names the parser's problem, not the file's. Say what is wrong with the file instead.
import { isAlias, visit, type Document, type Node } from 'yaml';

const STACK_OVERFLOW = /maximum call stack size exceeded|too much recursion/i;

export function isStackOverflow(message: string): boolean {
  return STACK_OVERFLOW.test(message);
}

/** The first line of a YAML error, with a stack overflow named for what it is in the file. */
export function yamlErrorText(message: string): string {
  if (isStackOverflow(message)) return 'too deeply nested (the YAML nests lists or maps hundreds of levels deep here); flatten it';
  return message.split('\n')[0];
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
