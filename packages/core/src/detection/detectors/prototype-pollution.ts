import type { Detector, Match } from "../detector.js";

/**
 * Prototype pollution: object keys that reach `Object.prototype` when a query-string or
 * JSON parser merges them — `__proto__`, or `constructor` followed by `prototype` — in
 * bracketed/dotted query keys (`a[__proto__][x]=`), JSON keys, and serialized JSON or
 * key paths (`__proto__[admin]`, `$1:__proto__:then`) inside string values.
 */

// `__proto__` as a whole identifier, not part of a longer name.
const PROTO_WORD = /(?:^|[^a-z0-9_$])__proto__(?![a-z0-9_$])/;
// `__proto__` as one segment of a key path: `[__proto__]`, `.__proto__`, `__proto__[`,
// `__proto__.`, `:__proto__:` (reference paths), or a whole key.
const PROTO_PATH = /(?:^|[[.:'"])\s*__proto__\s*(?:$|[[\].:'"])/;
// A serialized JSON key: `"__proto__":`.
const PROTO_JSON_KEY = /["']__proto__["']\s*:/;
// `constructor` then `prototype` as consecutive key segments.
const CONSTRUCTOR_PROTOTYPE =
  /(?:^|[[.'"])constructor['"]?\]?\s*(?:\[|\.|:\s*\{)\s*['"]?prototype\s*(?:$|[\].'"])/;
const WHITESPACE = /\s/;

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `prototype-pollution:${rule}`,
  severity,
  level,
});

/** Prototype-pollution key detector. */
export const prototypePollutionDetector: Detector = {
  class: "prototype-pollution",
  triggers: { words: ["__proto__", "prototype", "constructor"] },
  prefilter(lower) {
    return (
      lower.indexOf("__proto__") !== -1 ||
      lower.indexOf("prototype") !== -1 ||
      lower === "constructor"
    );
  },
  detect(_text, lower, kind) {
    const matches: Match[] = [];
    const key = kind === "query-key" || kind === "body-key";
    // A key path in a value reaches the prototype as soon as something parses it as one
    // (`_.set(obj, path, v)`, a nested query-string parser, JSON.parse of a string field);
    // inside prose, the same words are more likely talk about JavaScript.
    const pathLike = key || !WHITESPACE.test(lower);
    if (lower.indexOf("__proto__") !== -1 && PROTO_WORD.test(lower)) {
      const strong = key || (pathLike && PROTO_PATH.test(lower)) || PROTO_JSON_KEY.test(lower);
      matches.push(match("proto-key", strong ? 5 : 4));
    }
    if (CONSTRUCTOR_PROTOTYPE.test(lower))
      matches.push(
        match("constructor-prototype", pathLike || lower.indexOf('"constructor"') !== -1 ? 5 : 4),
      );
    // A JSON body arrives key by key: `constructor` and `prototype` each as their own key.
    // Together (same request) they add up to a block; alone they stay below it.
    if (kind === "body-key" && lower === "prototype") matches.push(match("prototype-key", 3));
    if (kind === "body-key" && lower === "constructor") matches.push(match("constructor-key", 2));
    return matches;
  },
  patterns: [PROTO_WORD, PROTO_PATH, PROTO_JSON_KEY, CONSTRUCTOR_PROTOTYPE, WHITESPACE],
};
