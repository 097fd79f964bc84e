// Deterministic synthetic source trees for the benchmarks: ordinary code with LLM calls sprinkled in.
import * as fs from 'fs';
import * as path from 'path';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const TS_PLAIN = (i: number) => `import { readFile } from 'fs/promises';

export interface Record${i} { id: string; name: string; createdAt: Date; tags: string[] }

export function parse${i}(raw: string): Record${i}[] {
  return raw.split('\\n').filter(Boolean).map((line, n) => {
    const [id, name, created, tags] = line.split(',');
    if (!id) throw new Error(\`line \${n}: missing id\`);
    return { id, name, createdAt: new Date(created), tags: (tags ?? '').split('|') };
  });
}

export async function load${i}(file: string) {
  const text = await readFile(file, 'utf8');
  const rows = parse${i}(text);
  const byTag = new Map<string, number>();
  for (const r of rows) for (const t of r.tags) byTag.set(t, (byTag.get(t) ?? 0) + 1);
  return { rows, byTag, total: rows.length };
}
`;

const TS_PROMPT = (i: number) => `import OpenAI from 'openai';
const client = new OpenAI();
const SYSTEM_${i} = 'You are assistant number ${i}. Answer briefly, cite the docs, and never guess.';

export async function ask${i}(question: string, history: OpenAI.ChatCompletionMessageParam[]) {
  return client.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 300,
    messages: [{ role: 'system', content: SYSTEM_${i} }, ...history, { role: 'user', content: \`Q: \${question}\` }],
  });
}
`;

const PY_PLAIN = (i: number) => `import csv
from dataclasses import dataclass


@dataclass
class Row${i}:
    id: str
    name: str
    tags: list


def parse_${i}(path):
    """Parse the export file into rows."""
    with open(path) as f:
        return [Row${i}(r["id"], r["name"], r.get("tags", "").split("|")) for r in csv.DictReader(f)]


def summarize_${i}(rows):
    counts = {}
    for row in rows:
        for tag in row.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])
`;

const PY_PROMPT = (i: number) => `import anthropic

client = anthropic.Anthropic()
SYSTEM_${i} = "You summarise support tickets for team ${i} in three bullet points, neutral tone."


def summarise_${i}(ticket):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=256,
        system=SYSTEM_${i},
        messages=[{"role": "user", "content": f"Ticket:\\n{ticket}"}],
    )
`;

/** ~6,000 files, ~25 MB: each plain file padded with comment lines to about 4 KB. */
export function makeTree(dir: string, files = 6000, promptShare = 0.05): void {
  const rand = rng(42);
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < files; i++) {
    const py = rand() < 0.4;
    const withPrompt = rand() < promptShare;
    const sub = path.join(dir, `pkg${i % 60}`, `mod${i % 7}`);
    fs.mkdirSync(sub, { recursive: true });
    let body = py ? (withPrompt ? PY_PROMPT(i) : PY_PLAIN(i)) : withPrompt ? TS_PROMPT(i) : TS_PLAIN(i);
    const comment = py ? '#' : '//';
    while (body.length < 4200) body += `${comment} ${'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(1 + Math.floor(rand() * 2))}\n`;
    fs.writeFileSync(path.join(sub, `file${i}.${py ? 'py' : 'ts'}`), body);
  }
}

/** One 5,000-line TypeScript file with 50 prompts. */
export function bigFile(): string {
  const chunks: string[] = ["import OpenAI from 'openai';", 'const client = new OpenAI();'];
  let i = 0;
  while (chunks.join('\n').split('\n').length < 5000) {
    if (i % 5 === 0 && i / 5 < 50) chunks.push(TS_PROMPT(i).split('\n').slice(2).join('\n'));
    else chunks.push(TS_PLAIN(i).split('\n').slice(1).join('\n'));
    i++;
  }
  return chunks.join('\n').split('\n').slice(0, 5000).join('\n');
}
