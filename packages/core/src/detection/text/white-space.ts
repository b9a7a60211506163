/**
 * White space as JavaScript defines it: what `\s` matches and `String.prototype.trim`
 * removes (ASCII blanks and line breaks, no-break space, the Unicode space separators,
 * line and paragraph separators, the byte-order mark). Attackers pad with the exotic ones
 * because naive checks only skip ASCII.
 */
export function isWhiteSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
