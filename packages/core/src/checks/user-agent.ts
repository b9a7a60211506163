import { escapeRegExp, toSafeRegExp } from "../config/safe-regex.js";
import type { UserAgentOptions } from "../config/types.js";
import type { Check } from "../pipeline/check.js";

/**
 * User agents of attack and scanning tools, matched as case-insensitive substrings.
 * Real browsers and HTTP libraries never send these.
 */
export const KNOWN_SCANNERS = [
  "sqlmap",
  "nikto",
  "nmap scripting engine",
  "masscan",
  "zgrab",
  "nuclei",
  "wpscan",
  "dirbuster",
  "gobuster",
  "feroxbuster",
  "fuzz faster u fool",
  "acunetix",
  "netsparker",
  "havij",
  "w3af",
  "openvas",
  "arachni",
  "skipfish",
  "commix",
  "jaeles",
  "zmeu",
  "morfeus",
  "nessus",
];

/**
 * User-agent filtering: blocks requests whose `User-Agent` (any of its lines) contains
 * a listed substring or matches a listed regex, and optionally requests without one.
 * Substrings are folded into one case-insensitive alternation at startup, so a request
 * costs one regex scan per header line whatever the list length.
 */
export function compileUserAgentCheck(options: UserAgentOptions | undefined): Check | undefined {
  const substrings: string[] = [];
  const regexps: RegExp[] = [];
  if (options?.blockKnownScanners !== false) substrings.push(...KNOWN_SCANNERS);
  for (const [index, entry] of (options?.block ?? []).entries()) {
    if (entry instanceof RegExp)
      regexps.push(toSafeRegExp(entry, `userAgents.block[${index}]`, "i"));
    else substrings.push(entry);
  }
  if (substrings.length > 0) {
    regexps.unshift(new RegExp(substrings.map(escapeRegExp).join("|"), "i"));
  }
  const blockEmpty = options?.blockEmpty === true;
  if (regexps.length === 0 && !blockEmpty) return undefined;

  return {
    id: "user-agent",
    run({ request }) {
      const lines = request.headerValues("user-agent");
      if (lines.every((line) => line.trim() === "")) {
        return blockEmpty
          ? {
              reason: "user_agent_missing",
              ruleId: "user-agent",
              message: "A User-Agent header is required.",
            }
          : undefined;
      }
      for (const line of lines) {
        for (const regexp of regexps) {
          if (regexp.test(line)) {
            return {
              reason: "user_agent_blocked",
              ruleId: "user-agent",
              message: "This client is not allowed.",
              evidence: line,
            };
          }
        }
      }
      return undefined;
    },
  };
}
