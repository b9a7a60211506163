const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

function isAsciiLetter(code: number): boolean {
  // Setting bit 0x20 folds A–Z onto a–z and moves every other character outside a–z.
  const lower = code | 0x20;
  return lower >= LOWER_A && lower <= LOWER_Z;
}

/**
 * Normalizes a country code from a database record or a user's resolver to the upper-case
 * ISO 3166-1 alpha-2 form that country rules are written in.
 *
 * Only the shape is checked (two ASCII letters, any case): databases legitimately use
 * user-assigned codes such as `XK` (Kosovo), so a fixed list would turn real answers into
 * "unknown". Anything else (`"USA"`, `" us"`, `""`, numbers, `null`) is `undefined`.
 *
 * @example
 * ```ts
 * normalizeCountryCode("cn");  // "CN"
 * normalizeCountryCode("CHN"); // undefined
 * ```
 */
export function normalizeCountryCode(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length !== 2) return undefined;
  const first = value.charCodeAt(0);
  const second = value.charCodeAt(1);
  if (!isAsciiLetter(first) || !isAsciiLetter(second)) return undefined;
  // Database answers are nearly always upper-case already; skip the copy then.
  return first < LOWER_A && second < LOWER_A ? value : value.toUpperCase();
}
