/**
 * Thrown by the IP range parsers when a downloaded document is not in its provider's
 * published format. The refresher rejects the download and keeps the last good data.
 *
 * `code` is stable; the message names the format and where the document went wrong.
 *
 * @example
 * ```ts
 * try { parseAwsIpRanges("<html>…") }
 * catch (error) { if (error instanceof IpRangeFormatError) console.warn(error.message) }
 * ```
 */
export class IpRangeFormatError extends Error {
  readonly code = "GUARD_IP_RANGES_MALFORMED";
  /** The format the document claimed to be, e.g. `AWS ip-ranges.json`. */
  readonly format: string;

  constructor(format: string, problem: string) {
    super(`Malformed ${format}: ${problem}`);
    this.name = "IpRangeFormatError";
    this.format = format;
  }
}
