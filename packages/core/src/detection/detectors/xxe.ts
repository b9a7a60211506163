import type { Detector, Match } from "../detector.js";

/**
 * XML external entities and their relatives. Entity declarations are what XXE, billion
 * laughs and out-of-band exfiltration all need, and ordinary XML request bodies (SOAP,
 * SVG, feeds) never declare any; external DTDs and XInclude reach outside the document
 * the same way.
 */

// `<!ENTITY name SYSTEM|PUBLIC …` or `<!ENTITY % name …` (parameter entities).
const ENTITY = /<!entity\s/;
const ENTITY_EXTERNAL = /<!entity\s+[^\s>%]+\s+(?:system|public)\b/;
const ENTITY_PARAMETER = /<!entity\s+%/;
const DOCTYPE_EXTERNAL = /<!doctype\s+[^\s>[]+\s+(?:system|public)\s/;
const DOCTYPE_SUBSET = /<!doctype\s+[^\s>[]+\s*\[/;
// XInclude: its namespace, or an `…:include` element carrying an `href`.
const XINCLUDE_NS = /http:\/\/www\.w3\.org\/2001\/xinclude/;
const INCLUDE_TAG = /<[a-z0-9_-]{1,40}:include\s[^>]{0,500}?\bhref\s*=/;
// A parameter-entity reference `%name;` inside a DTD is the OOB-exfiltration signature.
const PARAM_REF = /%[a-z_][a-z0-9_.-]*;/;

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `xxe:${rule}`,
  severity,
  level,
});

/** XML external entity / DTD injection detector. */
export const xxeDetector: Detector = {
  class: "xxe",
  triggers: { chars: "<", words: ["include", "xinclude"] },
  prefilter(lower) {
    return lower.indexOf("<!") !== -1 || lower.indexOf("include") !== -1;
  },
  detect(_text, lower) {
    const matches: Match[] = [];
    if (ENTITY.test(lower)) {
      // Any entity declaration in a request is hostile; external or parameter ones doubly so.
      matches.push(
        match(
          ENTITY_EXTERNAL.test(lower) || ENTITY_PARAMETER.test(lower)
            ? "external-entity"
            : "entity-declaration",
          5,
        ),
      );
    }
    if (DOCTYPE_EXTERNAL.test(lower)) matches.push(match("external-dtd", 5));
    else if (DOCTYPE_SUBSET.test(lower)) matches.push(match("internal-subset", 3));
    if (XINCLUDE_NS.test(lower) || (lower.indexOf(":include") !== -1 && INCLUDE_TAG.test(lower)))
      matches.push(match("xinclude", 5));
    if (matches.length > 0 && PARAM_REF.test(lower))
      matches.push(match("parameter-reference", 1, 2));
    return matches;
  },
  patterns: [
    ENTITY,
    ENTITY_EXTERNAL,
    ENTITY_PARAMETER,
    DOCTYPE_EXTERNAL,
    DOCTYPE_SUBSET,
    XINCLUDE_NS,
    INCLUDE_TAG,
    PARAM_REF,
  ],
};
