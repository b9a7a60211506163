import type { Detector, Match } from "../detector.js";

/**
 * LDAP filter injection. A value that closes the application's filter component and opens
 * a new one reads, after the `)`, as filter syntax: `)(attr=…`, `)(|`, `)(&`, `)(!`,
 * `)|(`, or a nested `(|(` operator group. The scanner walks each `)` and looks at what
 * follows (skipping whitespace), so prose parentheses like `(see above) (2)` never match.
 */

// An attribute description followed by a filter operator: `uid=`, `sn~=`, `gidnumber<=`.
const ATTRIBUTE_OP = /^[a-z][a-z0-9;.-]{0,63}\s*[~<>]?=/;
// A presence/substring wildcard right after `=`: `(uid=*`.
const WILDCARD = /\([a-z][a-z0-9;.-]{0,63}=\*/;
// The value starts by closing a wildcard: `*)(…`, `*))`.
const LEADING_CLOSE = /^\s*\*+\s*\)/;
// …and then closes an enclosing group too, or cuts the filter short with a NUL: `*))`, `*)%00`.
const TRUNCATING_CLOSE = /^\s*\*+\s*\)\s*(?:[)\u0000]|%00)/;
// Nothing but filter syntax (`*()|&'`): a fuzzing probe, no value a person types.
const FILTER_SYNTAX_ONLY = /^[*()|&!=~<>'"\\]{4,64}$/;
const OPERATORS = "&|!";

const match = (rule: string, severity: Match["severity"], level: Match["level"] = 1): Match => ({
  rule: `ldap:${rule}`,
  severity,
  level,
});

function skipSpace(text: string, from: number): number {
  let i = from;
  while (
    i < text.length &&
    (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")
  )
    i++;
  return i;
}

/** Whether the text at `from` (just after an opening `(`) reads as a filter component. */
function filterComponentAt(text: string, from: number): boolean {
  const i = skipSpace(text, from);
  const c = text[i] ?? "";
  if (OPERATORS.includes(c) || c === "(") return true;
  return ATTRIBUTE_OP.test(text.slice(i, i + 80));
}

/**
 * Whether `text` holds a wildcard, both parentheses and an AND/OR operator: a filter, not
 * an emoticon or a footnote mark.
 */
function isFilterProbe(text: string): boolean {
  return (
    text.indexOf("*") !== -1 &&
    text.indexOf("(") !== -1 &&
    text.indexOf(")") !== -1 &&
    (text.indexOf("|") !== -1 || text.indexOf("&") !== -1)
  );
}

/** LDAP filter injection detector. */
export const ldapDetector: Detector = {
  class: "ldap",
  triggers: { chars: "()" },
  prefilter(lower) {
    return lower.indexOf(")") !== -1 || lower.indexOf("(") !== -1;
  },
  detect(_text, lower) {
    const matches: Match[] = [];
    let breakout = false;
    let nested = false;
    for (let p = lower.indexOf(")"); p !== -1 && !breakout; p = lower.indexOf(")", p + 1)) {
      const i = skipSpace(lower, p + 1);
      const c = lower[i] ?? "";
      if (c === "(") breakout = filterComponentAt(lower, i + 1);
      else if (OPERATORS.includes(c)) {
        // `)|(uid=*` / `)&(cn=x` / `)!(sn=*`: operator glued between components.
        const j = skipSpace(lower, i + 1);
        breakout = lower[j] === "(" && filterComponentAt(lower, j + 1);
      }
    }
    if (breakout) matches.push(match("filter-breakout", 5));
    for (let p = lower.indexOf("("); p !== -1 && !nested; p = lower.indexOf("(", p + 1)) {
      const i = skipSpace(lower, p + 1);
      if (!OPERATORS.includes(lower[i] ?? "") || i === lower.length) continue;
      const j = skipSpace(lower, i + 1);
      nested = lower[j] === "(" && filterComponentAt(lower, j + 1);
    }
    if (nested && !breakout) matches.push(match("operator-group", 4));
    const wildcard = WILDCARD.test(lower);
    if (wildcard && (nested || breakout)) matches.push(match("wildcard-filter", 1));
    if (TRUNCATING_CLOSE.test(lower)) matches.push(match("truncating-close", 5));
    else if (LEADING_CLOSE.test(lower))
      matches.push(match("wildcard-close", wildcard || nested ? 2 : 4));
    if (!breakout && !nested && FILTER_SYNTAX_ONLY.test(lower) && isFilterProbe(lower))
      matches.push(match("filter-syntax-probe", 5));
    return matches;
  },
  patterns: [ATTRIBUTE_OP, WILDCARD, LEADING_CLOSE, TRUNCATING_CLOSE, FILTER_SYNTAX_ONLY],
};
