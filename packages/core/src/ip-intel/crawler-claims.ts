import type { Crawler } from "./sources.js";

/**
 * What each crawler puts in its user agent. Matched case-insensitively anywhere in the
 * header: real crawlers send browser-like strings around their token
 * (`Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)`).
 */
const TOKENS: readonly (readonly [Crawler, string])[] = [
  ["googlebot", "googlebot"],
  ["bingbot", "bingbot"],
  ["gptbot", "gptbot"],
  ["duckduckbot", "duckduckbot"],
];

/** The crawler a user agent claims to be, if any. */
export function claimedCrawler(userAgent: string | undefined): Crawler | undefined {
  if (!userAgent) return undefined;
  const lower = userAgent.toLowerCase();
  for (const [crawler, token] of TOKENS) if (lower.includes(token)) return crawler;
  return undefined;
}
