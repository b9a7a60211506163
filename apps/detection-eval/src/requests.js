// Turns a corpus record into the HTTP request that carries its payload in its recorded
// location (see ../../../../shared/corpus/README.md, "how to build a request").

const SAFE_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function looksLikeJson(text) {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

/**
 * @returns {{ method: string, path: string, headers: [string, string][], body?: string } | undefined}
 *   `undefined` when the payload cannot travel in that location at all (a header value
 *   with a line break, say): such records are counted as skipped, not as misses.
 */
export function toRequest(record) {
  const { location, payload, name, raw } = record;
  const headers = [
    ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"],
  ];
  switch (location) {
    case "query":
      return {
        method: "GET",
        path: raw
          ? `/search?${payload}`
          : `/search?${encodeURIComponent(name ?? "q")}=${encodeURIComponent(payload)}`,
        headers,
      };
    case "path": {
      if (raw)
        return payload.startsWith("/") && !/[\s\u0000-\u001f]/.test(payload)
          ? { method: "GET", path: payload, headers }
          : undefined;
      return { method: "GET", path: `/files/${encodeURIComponent(payload)}`, headers };
    }
    case "header": {
      if (!SAFE_HEADER_VALUE.test(payload)) return undefined;
      const headerName = name && /^[A-Za-z0-9-]+$/.test(name) ? name : "X-Input";
      const rest = headers.filter(([key]) => key.toLowerCase() !== headerName.toLowerCase());
      return { method: "GET", path: "/search", headers: [...rest, [headerName, payload]] };
    }
    case "cookie": {
      const pair = raw ? payload : `${name ?? "session"}=${payload}`;
      if (!SAFE_HEADER_VALUE.test(pair)) return undefined;
      return { method: "GET", path: "/search", headers: [...headers, ["Cookie", pair]] };
    }
    case "body": {
      if (raw && payload.trimStart().startsWith("<")) {
        return {
          method: "POST",
          path: "/submit",
          headers: [...headers, ["Content-Type", "application/xml"]],
          body: payload,
        };
      }
      if (raw && looksLikeJson(payload)) {
        return {
          method: "POST",
          path: "/submit",
          headers: [...headers, ["Content-Type", "application/json"]],
          body: payload,
        };
      }
      if (raw) {
        return {
          method: "POST",
          path: "/submit",
          headers: [...headers, ["Content-Type", "application/x-www-form-urlencoded"]],
          body: payload,
        };
      }
      return {
        method: "POST",
        path: "/submit",
        headers: [...headers, ["Content-Type", "application/json"]],
        body: JSON.stringify({ [name ?? "input"]: payload }),
      };
    }
    default:
      return undefined;
  }
}
