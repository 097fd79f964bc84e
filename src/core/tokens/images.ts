// Image tokens by each provider's published rule, for a known size and detail.
// - OpenAI (Vision guide, "Calculating costs"): detail low → a flat 85. High: fit within 2048 × 2048, then
//   scale so the shortest side is 768 px, then 170 per 512-px tile + 85. gpt-4o-mini bills the same
//   tiles at 2,833 base + 5,667 per tile, o1 / o3 at 75 + 150 per tile (same guide). detail auto is
//   counted as high (the model may choose low; the plan errs high).
// - Anthropic (Vision guide, "Evaluate image size"): tokens = width × height / 750, after the image is
//   scaled down (aspect kept) when its long edge exceeds 1,568 px or it exceeds ~1,600 tokens (the
//   guide's largest square is 1092 × 1092, ~1,590 tokens); Opus 4.7 and later read up to 2,576 px on the
//   long edge.
// - Gemini (API docs, "Understand and count tokens" → images): 258 tokens when both sides are ≤ 384 px,
//   else 258 per 768 × 768 tile.
// Where the size is not known statically an assumed size is used (DEFAULT_IMAGE_SIZE, or `images:` in
// .promptcost.yaml), and the figure is labelled as such.

export const OPENAI_IMAGE_SOURCE = 'OpenAI docs, Vision → Calculating costs';
export const ANTHROPIC_IMAGE_SOURCE = 'Anthropic docs, Vision → Evaluate image size';

/** The size assumed for an image whose size is not known: a common 1024 × 1024 upload. */
export const DEFAULT_IMAGE_SIZE = { width: 1024, height: 1024 };

interface TileRate { base: number; tile: number }
function openaiRates(model: string): TileRate {
  const name = model.toLowerCase().replace(/^.*\//, '');
  if (/^gpt-4o-mini/.test(name)) return { base: 2833, tile: 5667 };
  if (/^(o1|o3)(?!-mini)/.test(name)) return { base: 75, tile: 150 };
  return { base: 85, tile: 170 };
}

/** OpenAI's tile formula. */
export function openaiImageTokens(width: number, height: number, detail: string | undefined, model = 'gpt-4o'): number {
  const r = openaiRates(model);
  if (detail === 'low') return r.base;
  let w = width;
  let h = height;
  if (w > 2048 || h > 2048) {
    const s = 2048 / Math.max(w, h);
    w = Math.floor(w * s);
    h = Math.floor(h * s);
  }
  if (Math.min(w, h) > 768) {
    const s = 768 / Math.min(w, h);
    w = Math.floor(w * s);
    h = Math.floor(h * s);
  }
  const tiles = Math.ceil(w / 512) * Math.ceil(h / 512);
  return r.base + r.tile * tiles;
}

/** Anthropic's area rule, after its downscale. */
export function anthropicImageTokens(width: number, height: number, model = 'claude-sonnet-4-5'): number {
  const longEdge = /claude-opus-(4[-.][7-9]|[5-9])/.test(model.toLowerCase()) ? 2576 : 1568;
  let w = width;
  let h = height;
  if (Math.max(w, h) > longEdge) {
    const s = longEdge / Math.max(w, h);
    w = w * s;
    h = h * s;
  }
  // The guide's largest 1:1 size within its limits is 1092 × 1092 (~1,590 tokens): its area is the cap.
  if (longEdge === 1568 && w * h > 1092 * 1092) {
    const maxPixels = 1092 * 1092;
    const s = Math.sqrt(maxPixels / (w * h));
    w = w * s;
    h = h * s;
  }
  return Math.ceil((Math.floor(w) * Math.floor(h)) / 750);
}

export const GEMINI_IMAGE_SOURCE = 'Gemini API docs, Understand and count tokens (images)';

/** Gemini's tiles. */
export function geminiImageTokens(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}
