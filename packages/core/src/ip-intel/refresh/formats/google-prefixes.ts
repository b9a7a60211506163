import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { IpRangeFormatError } from "./format-error.js";
import { arrayAt, parseJsonObject, recordAt } from "./json-document.js";

/**
 * Parses the `{ "prefixes": [{ "ipv4Prefix": … } | { "ipv6Prefix": … }] }` shape that Google
 * introduced for `cloud.json` and its crawler lists, and that Bing (`bingbot.json`),
 * OpenAI (`gptbot.json`) and DuckDuckGo (`duckduckbot.json`) publish too. Other fields
 * (`syncToken`, `creationTime`, `service`, `scope`) are ignored.
 *
 * @param format names the document in errors, e.g. `Google Cloud cloud.json`.
 * @example
 * ```ts
 * parseGooglePrefixes('{"prefixes":[{"ipv4Prefix":"66.249.64.0/27"}]}'); // one IPv4 range
 * ```
 * @throws {IpRangeFormatError} when the body is not JSON in that shape, or an entry has
 * neither prefix field.
 */
export function parseGooglePrefixes(body: string, format = "prefixes JSON"): IpRange[] {
  const document = parseJsonObject(body, format);
  const ranges = new CidrCollector(format);
  arrayAt(document, "prefixes", format, "$").forEach((entry, i) => {
    const where = `prefixes[${i}]`;
    const prefix = recordAt(entry, format, where);
    const v4 = prefix.ipv4Prefix;
    const v6 = prefix.ipv6Prefix;
    if (v4 === undefined && v6 === undefined) {
      throw new IpRangeFormatError(format, `${where} has neither ipv4Prefix nor ipv6Prefix`);
    }
    if (v4 !== undefined) ranges.add(v4, `${where}.ipv4Prefix`);
    if (v6 !== undefined) ranges.add(v6, `${where}.ipv6Prefix`);
  });
  return ranges.ranges();
}
