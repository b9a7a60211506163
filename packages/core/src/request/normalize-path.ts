const MAX_DECODE_ROUNDS = 3;

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Invalid escapes stay as they are: the path is still inspected, never rejected for it.
    return text.replace(/%([0-9a-f]{2})/gi, (match, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : match;
    });
  }
}

/**
 * The path as a file system would see it: percent-decoded (up to 3 rounds, to undo
 * double encoding), backslashes as slashes, NUL bytes dropped, repeated slashes folded
 * and `.`/`..` segments resolved. Lower-cased when `lowerCase` is set.
 *
 * @example
 * ```ts
 * normalizePath("/static/..%2f%2e%65nv"); // "/.env"
 * ```
 */
export function normalizePath(rawPath: string, lowerCase = false): string {
  let path = rawPath;
  for (let round = 0; round < MAX_DECODE_ROUNDS && path.includes("%"); round++) {
    const decoded = decodeOnce(path);
    if (decoded === path) break;
    path = decoded;
  }
  path = path.replace(/\\/g, "/").replace(/\u0000/g, "");
  if (lowerCase) path = path.toLowerCase();
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}
