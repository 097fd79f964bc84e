import * as assert from 'assert';
import { ensureLanguages } from '../../src/core/detect/code';
import { callsNamed } from '../../src/core/detect/code/calls';
import { CodeProject } from '../../src/core/detect/code/source';

// callsNamed walks one tree cursor through the matches in text order (it used to start again at the
// root for each, scanning every earlier statement: a file of thousands of statements on one line took
// past the evaluation budget). What it finds must be what a search from the root finds, for every match.
describe('finding calls by name', () => {
  before(async () => {
    await ensureLanguages(['typescript', 'python'] as never);
  });

  /** The reference: for each name match, the smallest node at it, then up to the call whose callee ends there. */
  function fromTheRoot(f: NonNullable<ReturnType<CodeProject['open']>>, names: string): string[] {
    const out = new Set<string>();
    for (const m of f.text.matchAll(new RegExp(`(?<![\\w$])(${names})\\s*(?:<[^<>()]*>\\s*)?\\(`, 'g'))) {
      const end = (m.index ?? 0) + m[1].length;
      let n = f.tree.rootNode.descendantForIndex(m.index ?? 0, end);
      while (n && !/^(call_expression|new_expression|call)$/.test(n.type)) n = n.parent;
      const callee = n && (n.childForFieldName('function') ?? n.childForFieldName('constructor'));
      if (n && callee && callee.endIndex === end) out.add(`${n.startIndex}:${n.endIndex}`);
    }
    return [...out].sort();
  }

  for (const [file, text] of [
    ['one-line.ts', Array.from({ length: 3000 }, (_, i) => (i % 3 ? `const v${i} = create({ a: run(${i}) });` : `if (x) { chat(run(create(${i}))); }`)).join(' ')],
    ['nested.ts', `${'create('.repeat(200)}1${')'.repeat(200)}; const s = \`\${run(chat(2))}\`; new Agent({ run: () => create(3) });\n`],
    ['gaps.py', Array.from({ length: 2000 }, (_, i) => `x${i} = client.create(model="m", n=run(${i})) ; chat ( ${i} )`).join('\n')],
  ] as const) {
    it(`finds every call a search from the root finds: ${file}`, () => {
      const project = new CodeProject(() => undefined);
      const f = project.open(file, text)!;
      const names = 'create|run|chat|Agent';
      const found = callsNamed(f, names).map((n) => `${n.startIndex}:${n.endIndex}`).sort();
      assert.ok(found.length > 100 || file === 'nested.ts');
      assert.deepStrictEqual(found, fromTheRoot(f, names));
      project.dispose();
    });
  }
});
