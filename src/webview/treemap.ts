// Squarified treemap layout (Bruls, Huizing, van Wijk, "Squarified Treemaps", 2000): lay items out in
// rows along the shorter side, adding an item to the row while that improves the worst aspect ratio.
export interface Rect { x: number; y: number; width: number; height: number }

export function squarify<T>(items: readonly { value: number; item: T }[], box: Rect): (Rect & { item: T; value: number })[] {
  const sorted = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  const total = sorted.reduce((n, i) => n + i.value, 0);
  const out: (Rect & { item: T; value: number })[] = [];
  if (!total || box.width <= 0 || box.height <= 0) return out;
  const scale = (box.width * box.height) / total;
  let rest = { ...box };
  let row: { value: number; item: T; area: number }[] = [];
  const worst = (r: { area: number }[], side: number) => {
    const sum = r.reduce((n, i) => n + i.area, 0);
    let max = 0;
    for (const i of r) max = Math.max(max, (side * side * i.area) / (sum * sum), (sum * sum) / (side * side * i.area));
    return max;
  };
  const layRow = () => {
    const sum = row.reduce((n, i) => n + i.area, 0);
    const horizontal = rest.width >= rest.height; // the row runs along the shorter side
    const thick = horizontal ? sum / rest.height : sum / rest.width;
    let at = horizontal ? rest.y : rest.x;
    for (const i of row) {
      const len = i.area / thick;
      out.push(horizontal
        ? { x: rest.x, y: at, width: thick, height: len, item: i.item, value: i.value }
        : { x: at, y: rest.y, width: len, height: thick, item: i.item, value: i.value });
      at += len;
    }
    rest = horizontal
      ? { x: rest.x + thick, y: rest.y, width: rest.width - thick, height: rest.height }
      : { x: rest.x, y: rest.y + thick, width: rest.width, height: rest.height - thick };
    row = [];
  };
  for (const i of sorted) {
    const next = { ...i, area: i.value * scale };
    const side = Math.min(rest.width, rest.height);
    if (row.length && worst([...row, next], side) > worst(row, side)) layRow();
    row.push(next);
  }
  if (row.length) layRow();
  return out;
}
