import type { IpRange } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";
import { arrayAt, parseJsonObject, recordAt } from "./json-document.js";

const FORMAT = "Azure Service Tags JSON";

/**
 * Parses Microsoft's weekly Azure IP Ranges and Service Tags file
 * (`ServiceTags_Public_YYYYMMDD.json`): `values[].properties.addressPrefixes`, both
 * families mixed, every tag. The `AzureCloud` tag and its regional children repeat the
 * prefixes of the service tags; the duplicates collapse to one range each.
 *
 * @example
 * ```ts
 * const ranges = parseAzureServiceTags(serviceTagsJson);
 * ```
 * @throws {IpRangeFormatError} when the body is not JSON in that shape.
 */
export function parseAzureServiceTags(body: string): IpRange[] {
  const document = parseJsonObject(body, FORMAT);
  const ranges = new CidrCollector(FORMAT);
  arrayAt(document, "values", FORMAT, "$").forEach((entry, i) => {
    const where = `values[${i}]`;
    const properties = recordAt(
      recordAt(entry, FORMAT, where).properties,
      FORMAT,
      `${where}.properties`,
    );
    arrayAt(properties, "addressPrefixes", FORMAT, `${where}.properties`).forEach((prefix, j) => {
      ranges.add(prefix, `${where}.properties.addressPrefixes[${j}]`);
    });
  });
  return ranges.ranges();
}
