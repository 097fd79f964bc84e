// Nodes by offset, with their parents, for one tree. tree-sitter's `node.parent` (and
// `descendantForIndex`) walk down from the root, scanning each level's children up to the one that holds
// the node: O(width) at the root. A finder that looks up each text match and walks up from it was so
// quadratic in a file of many top-level statements (80 KB of repeated calls: over a second, most of it
// in `ts_node_child_with_descendant`). Here each node's children are listed once (one call into
// tree-sitter for all of them) and kept, with each child's end and its parent: a lookup goes down from
// the root by binary search in those lists, and a walk up from a node found here is a map lookup per
// step. Every crossing into tree-sitter's WASM costs a microsecond or more (its arguments are copied in
// and out one integer at a time), so a lookup that stepped a cursor through siblings and asked each
// for its range (30-odd crossings per lookup) was most of the shape layer's time on a large file; here
// a lookup in a part of the tree already listed makes none, in any order.
import type { SyntaxNode } from './parser';

export class Ancestry {
  private readonly root: SyntaxNode;
  private readonly parents = new Map<number, SyntaxNode>();
  /** Each listed node's children, by its id, with their ends once asked (`endIndex` is a call into tree-sitter; `startIndex` is a field). */
  private readonly kids = new Map<number, { nodes: SyntaxNode[]; ends: number[] }>();
  /** The last lookup's way down from the root, and the ends of its nodes. */
  private readonly path: SyntaxNode[];
  private readonly pathEnds: number[];

  constructor(root: SyntaxNode) {
    this.root = root;
    this.path = [root];
    this.pathEnds = [Infinity];
  }

  /** The smallest node holding [start, end) — what `root.descendantForIndex(start, end)` gives. */
  at(start: number, end = start): SyntaxNode {
    // tree-sitter's rule: a node holds [start, end) when it starts at or before start and ends at or
    // after end, and after start (a node ending where the range starts does not). At each level the
    // child to go into is the first that ends after start (children do not overlap: their ends rise).
    // The way down starts from the last lookup's: up to the deepest node on it that holds the range
    // (every node holding it is on the way down from the root), so lookups near each other cost the
    // distance between them, not the tree's depth (a file of one line, nested a thousand deep).
    const path = this.path;
    const ends = this.pathEnds;
    while (path.length > 1) {
      const n = path[path.length - 1];
      const e = ends[ends.length - 1];
      if (n.startIndex <= start && e >= end && e > start) break;
      path.pop();
      ends.pop();
    }
    let n = path[path.length - 1];
    for (;;) {
      const { nodes: cs, ends: ce } = this.childrenOf(n);
      let lo = 0;
      let hi = cs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (endAt(cs, ce, mid) > start) hi = mid;
        else lo = mid + 1;
      }
      if (lo === cs.length) return n;
      const c = cs[lo];
      const e = endAt(cs, ce, lo);
      if (c.startIndex > start || e < end) return n;
      path.push(c);
      ends.push(e);
      n = c;
    }
  }

  /**
   * `n.parent`, from what lookups here recorded; a node not met yet is looked up by its range (which
   * lists every node above it: a walk up from it is then map lookups), and tree-sitter walks only for
   * a node no range finds (an empty one) and the root.
   */
  parent(n: SyntaxNode): SyntaxNode | null {
    const known = this.parents.get(n.id);
    if (known) return known;
    if (n.id === this.root.id) return null;
    const end = n.endIndex;
    if (end > n.startIndex) {
      this.at(n.startIndex, end);
      const found = this.parents.get(n.id);
      if (found) return found;
    }
    return n.parent;
  }

  private childrenOf(n: SyntaxNode): { nodes: SyntaxNode[]; ends: number[] } {
    let listed = this.kids.get(n.id);
    if (!listed) {
      const nodes = n.children.filter((c): c is SyntaxNode => !!c);
      for (const c of nodes) this.parents.set(c.id, n);
      listed = { nodes, ends: new Array<number>(nodes.length).fill(-1) };
      this.kids.set(n.id, listed);
    }
    return listed;
  }
}

/** Child i's end, asked of tree-sitter once. */
function endAt(nodes: SyntaxNode[], ends: number[], i: number): number {
  let e = ends[i];
  if (e < 0) ends[i] = e = nodes[i].endIndex;
  return e;
}

/** The file's Ancestry, made on first use (one per tree: a reparse makes a new CodeFile). */
export function ancestryOf(f: { tree: { rootNode: SyntaxNode }; ancestry?: Ancestry }): Ancestry {
  return (f.ancestry ??= new Ancestry(f.tree.rootNode));
}
