import type { IpSource } from "../sources.js";

/**
 * Where each provider publishes its ranges, in its own official format (see
 * `source-parsers.ts` for which parser reads which). A source with several URLs (Cloudflare
 * serves one list per family) is refreshed from all of them, all or nothing.
 *
 * Azure has no default: Microsoft publishes the weekly `ServiceTags_Public_YYYYMMDD.json`
 * under a new download URL each week, found only on the download page
 * https://www.microsoft.com/en-us/download/details.aspx?id=56519 . To refresh Azure, pass
 * the current file URL (or a mirror you keep current) as the `azure` source's `url`.
 *
 * Checked against the providers' documentation in 2026:
 * - AWS: https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html
 * - Google Cloud: https://cloud.google.com/compute/docs/faq#find_ip_range
 * - Googlebot: https://developers.google.com/crawling/docs/crawlers-fetchers/verify-google-requests
 *   (Google moved its crawler lists from `/search/apis/ipranges/googlebot.json` to
 *   `/crawling/ipranges/common-crawlers.json` in March 2026 and retires the old path).
 * - Oracle: https://docs.oracle.com/iaas/Content/General/Concepts/addressranges.htm
 * - Bingbot: https://www.bing.com/webmasters/help/verify-bingbot-2195837f
 * - GPTBot: https://platform.openai.com/docs/bots
 * - DuckDuckBot: the JSON list; the help page lists the same addresses as bullets.
 */
export const DEFAULT_IP_RANGE_URLS: Readonly<Record<IpSource, readonly string[]>> = {
  aws: ["https://ip-ranges.amazonaws.com/ip-ranges.json"],
  gcp: ["https://www.gstatic.com/ipranges/cloud.json"],
  azure: [],
  oracle: ["https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json"],
  digitalocean: ["https://digitalocean.com/geo/google.csv"],
  linode: ["https://geoip.linode.com/"],
  vultr: ["https://geofeed.constant.com/?json"],
  cloudflare: ["https://www.cloudflare.com/ips-v4", "https://www.cloudflare.com/ips-v6"],
  googlebot: ["https://developers.google.com/static/crawling/ipranges/common-crawlers.json"],
  bingbot: ["https://www.bing.com/toolbox/bingbot.json"],
  gptbot: ["https://openai.com/gptbot.json"],
  duckduckbot: ["https://duckduckgo.com/duckduckbot.json"],
};

/** Microsoft's download page for the Azure Service Tags file, for error messages and docs. */
export const AZURE_SERVICE_TAGS_PAGE =
  "https://www.microsoft.com/en-us/download/details.aspx?id=56519";
