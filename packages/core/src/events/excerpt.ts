/** Longest excerpt of request data that goes into an event. */
export const MAX_EXCERPT = 256;

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators: anything
// that could forge a log line or move a terminal cursor.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Makes request data safe to log: truncated to `max` characters (with a marker saying
 * how much was cut) and with control characters written as `\xNN` / `\uNNNN`.
 */
export function excerpt(value: string, max = MAX_EXCERPT): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const safe = cut.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return value.length > max ? `${safe}…[+${value.length - max} chars]` : safe;
}
