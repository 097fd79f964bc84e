// A bounded memo of counts by content. Keys are the texts themselves (V8 hashes strings once and caches
// the hash), so re-counting an unchanged prompt is a map lookup. Bounded by total characters held.
export class CountMemo {
  private readonly maps = new Map<string, Map<string, number>>();
  private heldChars = 0;

  constructor(private readonly maxChars = 32 * 1024 * 1024) {}

  get(namespace: string, text: string): number | undefined {
    return this.maps.get(namespace)?.get(text);
  }

  set(namespace: string, text: string, value: number): void {
    if (text.length > this.maxChars / 4) return; // one huge text would evict everything else
    let map = this.maps.get(namespace);
    if (!map) this.maps.set(namespace, (map = new Map()));
    if (map.has(text)) return;
    this.heldChars += text.length;
    map.set(text, value);
    if (this.heldChars > this.maxChars) this.evictHalf();
  }

  private evictHalf(): void {
    // Maps iterate in insertion order: drop the oldest entries until half the budget is free.
    for (const map of this.maps.values()) {
      for (const key of map.keys()) {
        if (this.heldChars <= this.maxChars / 2) return;
        map.delete(key);
        this.heldChars -= key.length;
      }
    }
  }
}
