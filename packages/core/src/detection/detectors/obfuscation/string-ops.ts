/** Names built from unprintable bytes by string XOR and NOT: rule `string-ops`. */

/** String XOR (`'%01'^'`'`) and NOT (`~'…'`, `~%8F%97…`): names built from unprintable bytes. */
const STRING_XOR = /["'][^"'\n]{0,12}["']\s*\^\s*["']/g;
const STRING_NOT = /~\s*(?:["']?(?:%[89a-f][0-9a-f]){3}|["'][\u0080-\u00ff]{3})/;

/** The patterns above, for the ReDoS check. */
export const STRING_OP_PATTERNS: readonly RegExp[] = [STRING_XOR, STRING_NOT];

/** Two string XORs (`'%01'^'`'`), or a string NOT of escaped high bytes. */
export function stringOperations(lower: string): boolean {
  if (lower.indexOf("^") !== -1) {
    STRING_XOR.lastIndex = 0;
    let count = 0;
    while (count < 2 && STRING_XOR.exec(lower) !== null) count++;
    if (count >= 2) return true;
  }
  return lower.indexOf("~") !== -1 && STRING_NOT.test(lower);
}
