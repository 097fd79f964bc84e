// Compress results by content hash + model + endpoint: asking twice for the same text never pays twice.
// In memory for a session; with a file (the CLI), across runs.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export function cacheKey(parts: { messages: { role: string; content: string }[]; model: string; baseURL?: string }): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([parts.model, parts.baseURL ?? '', parts.messages.map((m) => [m.role, m.content])]));
  return h.digest('hex');
}

/** The same request's key whatever model or endpoint answered it (the report's lever looks rewrites up by content). */
export function contentKey(messages: { role: string; content: string }[]): string {
  return 'content:' + createHash('sha256').update(JSON.stringify(messages.map((m) => [m.role, m.content]))).digest('hex');
}

export interface CachedReply { text: string; usage?: { inputTokens: number; outputTokens: number } }

export class CompressCache {
  private readonly entries = new Map<string, CachedReply>();
  private loaded = false;

  /** `file`: a JSON file kept between runs (entries beyond `max` drop the oldest). */
  constructor(private readonly file?: string, private readonly max = 500) {}

  get size(): number {
    this.load();
    return this.entries.size;
  }

  get(key: string): CachedReply | undefined {
    this.load();
    return this.entries.get(key);
  }

  set(key: string, reply: CachedReply): void {
    this.load();
    this.entries.delete(key);
    this.entries.set(key, reply);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify([...this.entries]));
      fs.renameSync(tmp, this.file);
    } catch {
      // a cache that cannot be written only costs a repeated request
    }
  }

  private load(): void {
    if (this.loaded || !this.file) return;
    this.loaded = true;
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as [string, CachedReply][];
      for (const [k, v] of data) if (typeof k === 'string' && v && typeof v.text === 'string') this.entries.set(k, v);
    } catch {
      // none yet, or unreadable: start empty
    }
  }
}
