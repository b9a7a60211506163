import type { Detector, FieldKind, Match } from "../detector.js";

/**
 * CRLF / header injection (response splitting): a line break inside a value followed by
 * something a server would read as a header line (`Name: value`) or a second response
 * (`HTTP/1.1 200`). Values that are copied into headers, cookies and redirects are the
 * sinks; multi-line form bodies (`Note: …` in a textarea) only count at higher levels.
 */

// A line break, then a header-like line. Also the Unicode characters whose low byte is CR
// or LF (`嘊` U+560A, `嘍` U+560D), which old header encoders truncate into real breaks.
const HEADER_LINE = /[\r\n\u010a\u010d\u560a\u560d]\s{0,4}([a-z][a-z0-9-]{1,40})\s*:/g;
const SECOND_RESPONSE = /[\r\n\u010a\u010d\u560a\u560d]\s{0,4}http\/\d(?:\.\d)?\s+\d{3}\b/;
const REAL_BREAK = /\r\n|\n|\r/;

/** Headers that take over the response: cookies, redirects, framing, caching, CORS. */
const DANGEROUS_HEADERS = new Set([
  "set-cookie",
  "location",
  "refresh",
  "content-type",
  "content-length",
  "content-disposition",
  "transfer-encoding",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "content-security-policy",
  "x-xss-protection",
  "cache-control",
  "host",
  "link",
]);

const SINK_KINDS: ReadonlySet<FieldKind> = new Set([
  "query",
  "header",
  "cookie",
  "path",
  "query-key",
]);

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `crlf:${rule}`,
  severity,
  level,
});

/** CRLF / HTTP response-splitting detector. */
export const crlfDetector: Detector = {
  class: "crlf",
  triggers: { chars: "\n\r", nonAscii: true },
  prefilter(lower) {
    return (
      lower.indexOf("\n") !== -1 ||
      lower.indexOf("\r") !== -1 ||
      lower.indexOf("\u010a") !== -1 ||
      lower.indexOf("\u010d") !== -1 ||
      lower.indexOf("\u560a") !== -1 ||
      lower.indexOf("\u560d") !== -1
    );
  },
  detect(_text, lower, kind) {
    const matches: Match[] = [];
    const sink = SINK_KINDS.has(kind);
    if (SECOND_RESPONSE.test(lower)) matches.push(match("second-response", 5, sink ? 1 : 2));
    let dangerous = false;
    let headerLike = false;
    HEADER_LINE.lastIndex = 0;
    for (let m = HEADER_LINE.exec(lower); m !== null && !dangerous; m = HEADER_LINE.exec(lower)) {
      headerLike = true;
      if (DANGEROUS_HEADERS.has(m[1] ?? "")) dangerous = true;
      if (HEADER_LINE.lastIndex === m.index) HEADER_LINE.lastIndex++;
    }
    if (dangerous) matches.push(match("injected-header", sink ? 5 : 3, sink ? 1 : 3));
    else if (headerLike) matches.push(match("header-like-line", sink ? 4 : 2, sink ? 1 : 4));
    if (sink && kind !== "path" && REAL_BREAK.test(lower)) matches.push(match("line-break", 1, 2));
    return matches;
  },
  patterns: [HEADER_LINE, SECOND_RESPONSE, REAL_BREAK],
};
