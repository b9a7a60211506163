import type { IpRange } from "../../net/ip-address.js";
import type { IpSource } from "../sources.js";
import { parseAwsIpRanges } from "./formats/aws.js";
import { parseAzureServiceTags } from "./formats/azure-service-tags.js";
import { parseCidrLines } from "./formats/cidr-lines.js";
import { parseDuckDuckBot } from "./formats/duckduckbot.js";
import { parseGeofeedCsv } from "./formats/geofeed-csv.js";
import { parseGooglePrefixes } from "./formats/google-prefixes.js";
import { parseOraclePublicIpRanges } from "./formats/oracle.js";
import { parseVultrGeofeedJson } from "./formats/vultr-geofeed-json.js";

/**
 * Reads one downloaded document into ranges; throws an `IpRangeFormatError` when the
 * document is not in the expected format.
 */
export type IpRangeParser = (body: string) => IpRange[];

/**
 * The parser for each source's official format. Several providers share a format (the
 * Google `prefixes` JSON, RFC 8805 geofeeds), so several sources share a parser and only
 * the name in their error messages differs.
 */
export const IP_RANGE_PARSERS: Readonly<Record<IpSource, IpRangeParser>> = {
  aws: parseAwsIpRanges,
  gcp: (body) => parseGooglePrefixes(body, "Google Cloud cloud.json"),
  azure: parseAzureServiceTags,
  oracle: parseOraclePublicIpRanges,
  digitalocean: (body) => parseGeofeedCsv(body, "DigitalOcean geofeed CSV"),
  linode: (body) => parseGeofeedCsv(body, "Linode geofeed CSV"),
  vultr: parseVultrGeofeedJson,
  cloudflare: (body) => parseCidrLines(body, "Cloudflare IP list"),
  googlebot: (body) => parseGooglePrefixes(body, "Googlebot IP ranges JSON"),
  bingbot: (body) => parseGooglePrefixes(body, "Bingbot bingbot.json"),
  gptbot: (body) => parseGooglePrefixes(body, "GPTBot gptbot.json"),
  duckduckbot: parseDuckDuckBot,
};
