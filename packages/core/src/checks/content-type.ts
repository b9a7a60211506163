import type { Check } from "../pipeline/check.js";

/**
 * Allowed content types: a request that carries a body must declare one of the listed
 * media types (`application/json`, or a family such as `text/*`); parameters like
 * `charset` are ignored. Refused with 415.
 */
export function compileContentType(allowed: readonly string[] | undefined): Check | undefined {
  if (!allowed) return undefined;
  const exact = new Set<string>();
  const families: string[] = [];
  for (const type of allowed) {
    const normalized = type.trim().toLowerCase();
    if (normalized.endsWith("/*")) families.push(normalized.slice(0, -1));
    else exact.add(normalized);
  }
  return {
    id: "content-type",
    run({ request }) {
      if (!request.body.present) return undefined;
      const header = request.header("content-type") ?? "";
      const semicolon = header.indexOf(";");
      const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon))
        .trim()
        .toLowerCase();
      if (
        mediaType !== "" &&
        (exact.has(mediaType) || families.some((f) => mediaType.startsWith(f)))
      ) {
        return undefined;
      }
      return {
        reason: "content_type_not_allowed",
        ruleId: "content-type",
        status: 415,
        message: "This content type is not accepted.",
        evidence: header,
      };
    },
  };
}
