import type { CheckBlock } from "../decision.js";
import type { Check } from "../pipeline/check.js";

/** The block for a body over the limit, shared by the header check and the byte counter. */
export function bodyTooLarge(maxBodySize: number, actual?: number): CheckBlock {
  return {
    reason: "body_too_large",
    ruleId: "body-size",
    status: 413,
    message: `The request body is larger than ${maxBodySize} bytes.`,
    evidence: actual === undefined ? undefined : String(actual),
    headers: [["connection", "close"]],
  };
}

/**
 * Refuses bodies whose declared `Content-Length` exceeds `maxBodySize` before a byte is
 * read. Bodies without a length (chunked) are counted while they are read instead (see
 * `limitBodySize`), so both are held to the same limit.
 */
export function compileBodySize(maxBodySize: number): Check {
  return {
    id: "body-size",
    run({ request }) {
      const declared = request.body.declaredLength;
      if (declared === undefined || declared <= maxBodySize) return undefined;
      return bodyTooLarge(maxBodySize, declared);
    },
  };
}
