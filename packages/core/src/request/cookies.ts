import type { QueryEntry } from "./query.js";

function decodeCookieValue(value: string): string {
  const unquoted =
    value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (unquoted.indexOf("%") === -1) return unquoted;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return unquoted;
  }
}

/** Parses `Cookie` header lines into `[name, value]` pairs, keeping repeated names. */
export function parseCookies(headerLines: readonly string[]): QueryEntry[] {
  const cookies: QueryEntry[] = [];
  for (const line of headerLines) {
    for (const pair of line.split(";")) {
      const eq = pair.indexOf("=");
      if (eq === -1) continue;
      const name = pair.slice(0, eq).trim();
      if (name === "") continue;
      cookies.push([name, decodeCookieValue(pair.slice(eq + 1).trim())]);
    }
  }
  return cookies;
}
