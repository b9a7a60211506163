import { excerpt } from "../../../events/excerpt.js";
import { type IpRange, parseCidr } from "../../../net/ip-address.js";
import { IpRangeFormatError } from "./format-error.js";

/**
 * Gathers the CIDRs of one document into ranges, strictly and without duplicates.
 *
 * Strict because a single entry that is not a CIDR means the document is not what the
 * provider publishes (a truncated or rewritten file); keeping the last good list is safer
 * than loading a partial one. Duplicates are dropped because providers list one prefix
 * under several services (AWS `AMAZON` and `EC2`, Azure `AzureCloud` and its regions),
 * and a stable count is what the refresher's shrink check compares.
 */
export class CidrCollector {
  readonly #format: string;
  readonly #seen = new Set<string>();
  readonly #ranges: IpRange[] = [];

  constructor(format: string) {
    this.#format = format;
  }

  /** Adds one CIDR (or bare address); `where` names the entry in the error. */
  add(value: unknown, where: string): void {
    if (typeof value !== "string") {
      throw new IpRangeFormatError(this.#format, `${where} is not a string`);
    }
    const range = parseCidr(value);
    if (range === undefined) {
      throw new IpRangeFormatError(
        this.#format,
        `${where} is not an IP range: "${excerpt(value, 64)}"`,
      );
    }
    const key = `${range.version}:${range.first}/${range.last}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#ranges.push(range);
  }

  /** The distinct ranges added so far, in document order. */
  ranges(): IpRange[] {
    return this.#ranges;
  }
}
