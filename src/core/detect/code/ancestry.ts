// Nodes by offset, with their parents, for one tree. tree-sitter's `node.parent` (and
// `descendantForIndex`) walk down from the root, scanning each level's children up to the one that holds
// the node: O(width) at the root. A finder that looks up each text match and walks up from it was so
// quadratic in a file of many top-level statements (80 KB of repeated calls: over a second, most of it
// in `ts_node_child_with_descendant`). Here one cursor goes on from where the last lookup left it —
// offsets asked in text order cost one walk of the tree in all — and every node it settles on is
// recorded with its parent, so walking up from a node found here costs a map lookup per step.
import type { SyntaxNode } from './parser';

type Cursor = ReturnType<SyntaxNode['walk']>;

export class Ancestry {
  private readonly cursor: Cursor;
  /** The nodes from the root to the cursor's node (each the parent of the next). */
  private readonly path: SyntaxNode[];
  private readonly parents = new Map<number, SyntaxNode>();

  constructor(root: SyntaxNode) {
    this.cursor = root.walk();
    this.path = [root];
  }

  /** The smallest node holding [start, end) — what `root.descendantForIndex(start, end)` gives. */
  at(start: number, end = start): SyntaxNode {
    const c = this.cursor;
    // tree-sitter's rule: a node holds [start, end) when it starts at or before start and ends at or
    // after end, and after start (a node ending where the range starts does not).
    const holds = () => c.startIndex <= start && c.endIndex >= end && c.endIndex > start;
    // Up (or on to a later sibling) until the cursor's node holds the range; the root holds everything.
    // Siblings passed on the way are not made nodes (each costs a crossing into WASM): only where it stops.
    let moved = false;
    while (!holds() && this.path.length > 1) {
      if (c.endIndex <= start && c.gotoNextSibling()) {
        moved = true;
        continue;
      }
      c.gotoParent();
      this.path.pop();
      moved = false;
    }
    if (moved) this.settle();
    // Down to the smallest node that holds it.
    while (c.gotoFirstChild()) {
      let inside = true;
      while (c.endIndex <= start) {
        if (!c.gotoNextSibling()) {
          inside = false;
          break;
        }
      }
      if (!inside || !holds()) {
        c.gotoParent();
        break;
      }
      this.path.push(this.path[this.path.length - 1]); // the slot settle() fills with the child
      this.settle();
    }
    return this.path[this.path.length - 1];
  }

  /**
   * `n.parent`, from what lookups here recorded; a node not met yet is looked up by its range (which
   * records every node above it: a walk up from it is then map lookups), and tree-sitter walks only for
   * a node no range finds (an empty one) and the root.
   */
  parent(n: SyntaxNode): SyntaxNode | null {
    const known = this.parents.get(n.id);
    if (known) return known;
    if (n.id === this.path[0].id) return null;
    if (n.endIndex > n.startIndex) {
      this.at(n.startIndex, n.endIndex);
      const found = this.parents.get(n.id);
      if (found) return found;
    }
    return n.parent;
  }

  /** The cursor moved to a sibling (or first child) of the path's last node: make it the last node. */
  private settle(): void {
    const node = this.cursor.currentNode;
    const parent = this.path[this.path.length - 2];
    this.path[this.path.length - 1] = node;
    if (parent) this.parents.set(node.id, parent);
  }
}

/** The file's Ancestry, made on first use (one per tree: a reparse makes a new CodeFile). */
export function ancestryOf(f: { tree: { rootNode: SyntaxNode }; ancestry?: Ancestry }): Ancestry {
  return (f.ancestry ??= new Ancestry(f.tree.rootNode));
}
