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
  const segments = callee.split('.');
  // `import rich.prompt` binds the dotted name: the longest imported prefix names the module
  for (let i = segments.length; i > 0; i--) {
    const binding = f.imports.get(segments.slice(0, i).join('.'));
    if (binding) return !binding.file && !binding.module.startsWith('.') && TERMINAL_MODULES.has(binding.module.split('.')[0]);
  }
  // the builtin, unless the file defines a function of that name itself
  return segments.length === 1 && TERMINAL_BUILTINS.has(callee) && !new RegExp(String.raw`^[ \t]*(?:async[ \t]+)?def[ \t]+${callee}[ \t]*\(`, 'm').test(f.text);
}
