// .gitignore layers for the workspace walk. One departure from `git status`: a negation that names a
// path beneath an ignored folder (`benchmark` then `!benchmark/*/prompt`, `projects` then
// `!projects/example`) re-includes what it names. Git cannot re-include below an excluded folder for
// files it does not track, so such lines only make sense for files the repository does track — the
// author says those files belong to the project, and a fresh clone has them. Everything else in the
// folder stays ignored.
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export interface IgnoreLayer {
  /** The folder of the .gitignore, root-relative ('' at the root). */
  rel: string;
  ig: Ignore;
  /** Negations that name paths beneath a folder (their segments), and a matcher for what they name. */
  rescue?: { segments: string[][]; ig: Ignore };
}

export function gitignoreLayer(rel: string, text: string): IgnoreLayer {
  const layer: IgnoreLayer = { rel, ig: ignore().add(text) };
  const negations = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^![^/]/.test(l) || /^!\//.test(l))
    .map((l) => l.slice(1).replace(/^\//, '').replace(/\/+$/, ''))
    // only anchored paths (a slash inside): a bare name's negation is one git applies as it is
    .filter((p) => p.includes('/'));
  if (negations.length) layer.rescue = { segments: negations.map((p) => p.split('/')), ig: ignore().add(negations) };
  return layer;
}

/** Whether a folder (its segments) may hold a path the pattern (its segments) names. */
function mayHold(pattern: readonly string[], dir: readonly string[], pi = 0, di = 0): boolean {
  if (di === dir.length) return pi < pattern.length;
  if (pi === pattern.length) return false;
  if (pattern[pi] === '**') return mayHold(pattern, dir, pi + 1, di) || mayHold(pattern, dir, pi, di + 1);
  return picomatch.isMatch(dir[di], pattern[pi], { dot: true }) && mayHold(pattern, dir, pi + 1, di + 1);
}

/**
 * Whether the layers ignore a root-relative path (folders: `isDir`), negations beneath ignored folders kept.
 * As in git, the deepest .gitignore with a rule matching the path decides: a `!pattern` in a folder's
 * own .gitignore re-includes what a parent's pattern ignored (`*.md` at the root, `!README.md` in docs/).
 */
export function isIgnored(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    const local = (l.rel ? rel.slice(l.rel.length + 1) : rel) + (isDir ? '/' : '');
    const verdict = l.ig.test(local);
    if (verdict.unignored) return false;
    if (!verdict.ignored) continue;
    const r = l.rescue;
    if (!r) return true;
    if (r.ig.ignores(local)) return false;
    if (isDir && r.segments.some((s) => mayHold(s, local.replace(/\/$/, '').split('/')))) return false;
    return true;
  }
  return false;
}
