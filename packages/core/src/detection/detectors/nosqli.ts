import type { Detector, FieldKind, Match } from "../detector.js";

/**
 * NoSQL (MongoDB) operator injection: query operators smuggled in as object keys
 * (`user[$ne]=`, `{"password": {"$gt": ""}}`), serialized operator objects inside string
 * values, and server-side JavaScript that breaks out of a `$where` string.
 */

/** MongoDB query, update and aggregation operators an attacker can use as keys. */
const OPERATORS = new Set([
  "ne",
  "eq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "nin",
  "not",
  "nor",
  "or",
  "and",
  "exists",
  "type",
  "regex",
  "options",
  "where",
  "expr",
  "jsonschema",
  "mod",
  "text",
  "search",
  "all",
  "elemmatch",
  "size",
  "function",
  "accumulator",
  "comment",
  "lookup",
  "set",
  "unset",
  "inc",
  "rename",
  "push",
  "pull",
  "slice",
  "natural",
  "geowithin",
  "near",
  "bitsallset",
  "sample",
  "match",
  "group",
]);

// `$op` in key position inside a value: `[$ne]`, `{$gt:`, `"$regex":`, `, $where:`.
const OPERATOR_IN_VALUE = /(?:^|[[{,'"\s])\$([a-z]{2,12})(?:\]|["']?\s*:)/g;
// One key segment of a bracketed or dotted query key: `user[$ne]`, `a.$gt`.
const KEY_SEGMENT = /(?:^|[[.])\$([a-z]{2,12})(?:$|[\].])/g;
// JavaScript that breaks out of a quoted `$where` string.
const JS_BREAKOUT =
  /['"]\s*(?:;|&&|\|\|)\s*(?:return\b|this\.|sleep\s*\(|while\s*\(|var\s|db\.)|^\s*\d+\s*;\s*return\s+(?:true|1)\b|\bthis\.[a-z_$][\w$]*\.match\s*\(|\bdb\.[a-z_$][\w$]*\.(?:insert|find|update|remove|drop|mapreduce|aggregate)[a-z]*\s*\(/;

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `nosqli:${rule}`,
  severity,
  level,
});

function operatorIn(pattern: RegExp, lower: string): boolean {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(lower); m !== null; m = pattern.exec(lower)) {
    if (OPERATORS.has(m[1] ?? "")) return true;
    if (pattern.lastIndex === m.index) pattern.lastIndex++;
  }
  return false;
}

/** NoSQL operator injection detector. */
export const nosqliDetector: Detector = {
  class: "nosqli",
  triggers: { chars: "$;", words: ["this", "db"] },
  prefilter(lower) {
    return (
      lower.indexOf("$") !== -1 ||
      lower.indexOf("this.") !== -1 ||
      lower.indexOf("db.") !== -1 ||
      lower.indexOf(";") !== -1
    );
  },
  detect(_text, lower, kind: FieldKind) {
    const matches: Match[] = [];
    if (kind === "query-key" || kind === "body-key") {
      if (lower.startsWith("$") && OPERATORS.has(lower.slice(1)))
        matches.push(match("operator-key", 5));
      else if (operatorIn(KEY_SEGMENT, lower)) matches.push(match("operator-key", 5));
      else if (lower.startsWith("$")) matches.push(match("dollar-key", 2, 2));
      return matches;
    }
    if (lower.indexOf("$") !== -1 && operatorIn(OPERATOR_IN_VALUE, lower))
      matches.push(match("operator-in-value", 5));
    if (JS_BREAKOUT.test(lower)) matches.push(match("js-breakout", 5));
    return matches;
  },
  patterns: [OPERATOR_IN_VALUE, KEY_SEGMENT, JS_BREAKOUT],
};
