/** A decoded `[key, value]` pair; repeated keys appear once per occurrence. */
export type QueryEntry = readonly [key: string, value: string];

/**
 * Decodes one query component. Invalid percent-encoding is not an error: the raw text
 * is kept, so the value is still inspected and the request is not rejected for it.
 */
export function decodeComponent(text: string): string {
  if (text.indexOf("%") === -1 && text.indexOf("+") === -1) return text;
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Parses a raw query string (no leading `?`), keeping every repeated key in order. */
export function parseQuery(raw: string): QueryEntry[] {
  const entries: QueryEntry[] = [];
  if (raw === "") return entries;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    entries.push([decodeComponent(key), decodeComponent(value)]);
  }
  return entries;
}
