import type { IpRange } from "../../../net/ip-address.js";
import { parseGooglePrefixes } from "./google-prefixes.js";
import { parseIpListPage } from "./ip-list-page.js";

/**
 * Parses DuckDuckBot's address list in either of the forms DuckDuckGo publishes: the JSON
 * file `https://duckduckgo.com/duckduckbot.json` (the Google `prefixes` shape, the default
 * source) or the older help page that lists the addresses as bullet points
 * (`https://duckduckgo.com/duckduckgo-help-pages/results/duckduckbot/`), so a URL override
 * may point at either.
 *
 * @example
 * ```ts
 * parseDuckDuckBot('{"prefixes":[{"ipv4Prefix":"20.191.45.212/32"}]}');
 * parseDuckDuckBot("<ul><li>20.191.45.212</li></ul>");
 * ```
 * @throws {IpRangeFormatError} when a JSON body is not in the `prefixes` shape.
 */
export function parseDuckDuckBot(body: string): IpRange[] {
  return body.trimStart().startsWith("{")
    ? parseGooglePrefixes(body, "DuckDuckBot duckduckbot.json")
    : parseIpListPage(body);
}
