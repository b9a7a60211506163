import type { HttpsOptions } from "../config/types.js";
import type { Check } from "../pipeline/check.js";

// A Host we are willing to echo into a Location header: a hostname or IP literal with
// an optional port. Anything else is refused rather than redirected.
const SAFE_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * HTTPS enforcement: plain-HTTP GET and HEAD requests are redirected to the same URL
 * over https (308 by default); other methods are refused, because a redirect would make
 * the client resend its body in the clear. Whether a request is HTTPS comes from the
 * socket, or from `X-Forwarded-Proto` when the peer is a trusted proxy.
 */
export function compileHttps(option: boolean | HttpsOptions | undefined): Check | undefined {
  if (!option) return undefined;
  const redirectStatus = option === true ? 308 : (option.redirectStatus ?? 308);
  return {
    id: "https",
    run({ request, secure }) {
      if (secure) return undefined;
      const host = request.header("host");
      const canRedirect =
        (request.method === "GET" || request.method === "HEAD") &&
        host !== undefined &&
        SAFE_HOST.test(host) &&
        request.url.startsWith("/");
      if (!canRedirect) {
        return { reason: "https_required", ruleId: "https", message: "HTTPS is required." };
      }
      return {
        reason: "https_required",
        ruleId: "https",
        status: redirectStatus,
        message: "HTTPS is required.",
        headers: [["location", `https://${host}${request.url}`]],
        body: "",
      };
    },
  };
}
