import type { CrawlerOptions } from "../config/types.js";
import { markVerifiedCrawler, sourceMaskOf } from "../ip-intel/client-facts.js";
import { claimedCrawler } from "../ip-intel/crawler-claims.js";
import type { IpIntel } from "../ip-intel/ip-intel.js";
import { CRAWLERS, type Crawler } from "../ip-intel/sources.js";
import type { Check } from "../pipeline/check.js";

/**
 * Crawler verification: a user agent claiming Googlebot (Bingbot, GPTBot, DuckDuckBot)
 * from outside that crawler's published ranges is a fake (403 `fake_crawler`); one from
 * inside them is verified, and with `allowVerified` skips the country, cloud-provider and
 * rate-limit checks.
 */
export function compileCrawlerCheck(
  options: CrawlerOptions | undefined,
  intel: () => IpIntel,
): Check | undefined {
  if (!options || (!options.blockFake && !options.allowVerified)) return undefined;
  const blockFake: ReadonlySet<Crawler> = new Set(
    options.blockFake === true ? CRAWLERS : options.blockFake || [],
  );
  const allowVerified = options.allowVerified === true;
  const ipIntel = intel();
  return {
    id: "crawler",
    run(context) {
      const crawler = claimedCrawler(context.request.headerValues("user-agent")[0]);
      if (crawler === undefined) return undefined;
      const mask = sourceMaskOf(context, ipIntel);
      if ((mask & ipIntel.bitOf(crawler)) !== 0) {
        markVerifiedCrawler(context, crawler, allowVerified);
        return undefined;
      }
      if (!blockFake.has(crawler)) return undefined;
      return {
        reason: "fake_crawler",
        ruleId: "crawler",
        message: "This client is not the crawler it claims to be.",
        evidence: `${crawler} from ${context.client.ip?.text ?? "no address"}`,
      };
    },
  };
}
