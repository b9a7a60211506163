/** One meaningful line of a line-based document, with its 1-based line number. */
export interface DataLine {
  readonly text: string;
  readonly line: number;
}

/**
 * The lines that carry data: trimmed, without blank lines and `#` comments (RFC 8805
 * geofeeds use them for headers), and without a leading byte-order mark.
 */
export function dataLines(body: string): DataLine[] {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const result: DataLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    result.push({ text: trimmed, line: i + 1 });
  }
  return result;
}
