// Python calls whose `prompt=` asks the person at the terminal, not a model: `@click.option(…, prompt="Name")`,
// `typer.Option(…, prompt=…)`, `rich.prompt.Prompt.ask(prompt=…)`, `questionary.text(…)`, `getpass(prompt=…)`,
// `input(…)`. Told apart by where the callee is imported from, never by the text.
import type { CodeFile } from './source';

/** Command-line libraries that ask the user a question (the first segment of the module imported). */
const TERMINAL_MODULES = new Set(['click', 'asyncclick', 'cloup', 'typer', 'questionary', 'inquirer', 'InquirerPy', 'PyInquirer', 'rich', 'getpass', 'prompt_toolkit', 'pwinput', 'beaupy', 'pick', 'simple_term_menu']);
/** Builtins that read a line from the terminal. */
const TERMINAL_BUILTINS = new Set(['input', 'raw_input']);

/** Whether the call `callee(…)` (as written: `click.option`, `Prompt.ask`, `option`) asks the person at the terminal. */
export function asksTheTerminal(f: CodeFile, callee: string): boolean {
  if (!f.isPython) return false;
  // `import rich.prompt` binds the dotted name: the longest imported prefix names the module. No prefix
  // longer than the file's longest imported name can be one (a broken file's callee can be a chain of
  // thousands of links, asked about at each of its arguments).
  const segments = callee.split('.', importDepth(f) + 1);
  for (let i = Math.min(segments.length, importDepth(f)); i > 0; i--) {
    const binding = f.imports.get(segments.slice(0, i).join('.'));
    if (binding) return !binding.file && !binding.module.startsWith('.') && TERMINAL_MODULES.has(binding.module.split('.')[0]);
  }
  // the builtin, unless the file defines a function of that name itself
  return !callee.includes('.') && TERMINAL_BUILTINS.has(callee) && !new RegExp(String.raw`^[ \t]*(?:async[ \t]+)?def[ \t]+${callee}[ \t]*\(`, 'm').test(f.text);
}

const importDepths = new WeakMap<CodeFile, { size: number; depth: number }>();

/** The most dotted segments of a name the file imports (`rich.prompt`: 2). */
function importDepth(f: CodeFile): number {
  const known = importDepths.get(f);
  if (known && known.size === f.imports.size) return known.depth;
  let depth = 1;
  for (const name of f.imports.keys()) depth = Math.max(depth, name.split('.').length);
  importDepths.set(f, { size: f.imports.size, depth });
  return depth;
}
