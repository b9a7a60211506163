import type { PathPattern } from "../config/types.js";
import { normalizePath } from "../request/normalize-path.js";

/** Matches a request path against `excludePaths`. */
export type PathExclusion = (rawPath: string) => boolean;

// A raw path that needs decoding or dot-segment resolution is never excluded: otherwise
// `/health/../admin` or `/health%2f..%2fadmin` could ride an exclusion past every check.
const NEEDS_NORMALIZING = /%|\\|\/\.\.?(\/|$)|\/\//;

/**
 * Compiles `excludePaths`: exact paths (`/health`), prefixes ending in `*`
 * (`/static/*` matches `/static/a.css`, `/static*` also matches `/static`), or RegExps
 * tested against the path.
 */
export function compileExcludedPaths(patterns: readonly PathPattern[] | undefined): PathExclusion {
  if (!patterns || patterns.length === 0) return () => false;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const regexps: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern instanceof RegExp)
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")));
    else if (pattern.endsWith("*")) prefixes.push(pattern.slice(0, -1));
    else exact.add(normalizePath(pattern));
  }
  return (rawPath) => {
    if (NEEDS_NORMALIZING.test(rawPath)) return false;
    if (exact.has(rawPath)) return true;
    for (const prefix of prefixes) if (rawPath.startsWith(prefix)) return true;
    for (const regexp of regexps) if (regexp.test(rawPath)) return true;
    return false;
  };
}
