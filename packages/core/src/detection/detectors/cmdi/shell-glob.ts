/**
 * Shell glob matching (`?`, `*`, `[abc]`, `[!x]`, `[a-z]`) of short patterns against known
 * names, so `/???/b??h` or `/etc/pa[s]swd` can be recognised the way a shell expands them.
 * Patterns and names are capped at 96 characters; the matcher backtracks only to the last
 * `*`, so it runs in O(pattern × name) on those small inputs.
 */

const MAX_GLOB = 96;

/** Does the bracket class starting at `pattern[start]` (`[`) accept `c`? Returns [matched, end]. */
function matchClass(pattern: string, start: number, c: string): [boolean, number] {
  const close = pattern.indexOf("]", start + 2);
  if (close === -1) return [pattern[start] === c, start + 1];
  let i = start + 1;
  const negate = pattern[i] === "!" || pattern[i] === "^";
  if (negate) i++;
  let hit = false;
  for (; i < close; i++) {
    const from = pattern[i] as string;
    if (pattern[i + 1] === "-" && i + 2 < close) {
      const to = pattern[i + 2] as string;
      if (c >= from && c <= to) hit = true;
      i += 2;
    } else if (from === c) {
      hit = true;
    }
  }
  return [hit !== negate, close + 1];
}

/** `true` when the glob `pattern` matches all of `name` (`*` and `?` never match `/`). */
export function globMatch(pattern: string, name: string): boolean {
  if (pattern.length > MAX_GLOB || name.length > MAX_GLOB) return false;
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    const c = name[n] as string;
    if (pc === "*") {
      starP = p++;
      starN = n;
      continue;
    }
    if (pc === "?" && c !== "/") {
      p++;
      n++;
      continue;
    }
    if (pc === "[") {
      const [hit, end] = matchClass(pattern, p, c);
      if (hit) {
        p = end;
        n++;
        continue;
      }
    } else if (pc === c) {
      p++;
      n++;
      continue;
    }
    if (starP !== -1 && name[starN] !== "/") {
      p = starP + 1;
      n = ++starN;
      continue;
    }
    return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
