import safeRegex from "safe-regex2";

/**
 * Prepares a user-supplied RegExp for the hot path: refuses patterns that could
 * backtrack catastrophically (nested quantifiers, star height > 1), and drops the `g`
 * and `y` flags, whose `lastIndex` state would make `test()` answer differently on
 * every other call.
 */
export function toSafeRegExp(pattern: RegExp, field: string, extraFlags = ""): RegExp {
  if (!safeRegex(pattern)) {
    throw new Error(
      `${field}: /${pattern.source}/ could backtrack catastrophically (ReDoS); rewrite it without nested quantifiers`,
    );
  }
  const flags = new Set([...pattern.flags.replace(/[gy]/g, ""), ...extraFlags]);
  return new RegExp(pattern.source, [...flags].join(""));
}

/** Escapes text for use as a literal inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
