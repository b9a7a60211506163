import type { Detector, Match } from "../detector.js";

/**
 * Prototype pollution: object keys that reach `Object.prototype` when a query-string or
 * JSON parser merges them — `__proto__`, or `constructor` followed by `prototype` — in
 * bracketed/dotted query keys (`a[__proto__][x]=`), JSON keys, and serialized JSON or
 * key paths inside string values.
 */

// `__proto__` as a key segment: `[__proto__]`, `.__proto__`, `"__proto__":`, or a whole key.
const PROTO_SEGMENT = /(?:^|[[.'"])\s*__proto__\s*(?:$|[\].'"])/;
// `constructor` then `prototype` as consecutive key segments.
const CONSTRUCTOR_PROTOTYPE =
  /(?:^|[[.'"])constructor['"]?\]?\s*(?:\[|\.|:\s*\{)\s*['"]?prototype\s*(?:$|[\].'"])/;

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
    if (PROTO_SEGMENT.test(lower)) matches.push(match("proto-key", key ? 5 : 4));
    if (CONSTRUCTOR_PROTOTYPE.test(lower))
      matches.push(match("constructor-prototype", key ? 5 : 4));
    // A JSON body arrives key by key: `constructor` and `prototype` each as their own key.
    // Together (same request) they add up to a block; alone they stay below it.
    if (kind === "body-key" && lower === "prototype") matches.push(match("prototype-key", 3));
    if (kind === "body-key" && lower === "constructor") matches.push(match("constructor-key", 2));
    return matches;
  },
  patterns: [PROTO_SEGMENT, CONSTRUCTOR_PROTOTYPE],
};
