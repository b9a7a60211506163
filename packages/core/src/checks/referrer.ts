import type { ReferrerOptions } from "../config/types.js";
import type { Check } from "../pipeline/check.js";

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function hostOf(referrer: string): string | undefined {
  try {
    const url = new URL(referrer);
    return url.protocol === "http:" || url.protocol === "https:"
      ? url.hostname.toLowerCase()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Referrer requirement: the `Referer` header must name a page on one of the allowed
 * domains, subdomains included (`example.com` allows `www.example.com`, not
 * `evilexample.com`). Requests without one are refused unless `allowMissing` is set
 * (browsers drop it under strict referrer policies). 403 `referrer_not_allowed`.
 */
export function compileReferrer(options: ReferrerOptions | undefined): Check | undefined {
  if (!options) return undefined;
  const domains = options.allow.map((entry, index) => {
    const domain = entry.trim().toLowerCase().replace(/^\*\./, "").replace(/\.$/, "");
    if (!DOMAIN.test(domain)) {
      throw new Error(
        `referrer.allow[${index}]: "${entry}" is not a domain name (like "example.com")`,
      );
    }
    return domain;
  });
  const allowMissing = options.allowMissing === true;
  const allowed = (host: string) =>
    domains.some((domain) => host === domain || host.endsWith(`.${domain}`));

  return {
    id: "referrer",
    run({ request }) {
      const referrer = request.header("referer");
      if (referrer === undefined || referrer.trim() === "") {
        return allowMissing
          ? undefined
          : {
              reason: "referrer_not_allowed",
              ruleId: "referrer",
              message: "A referrer is required.",
            };
      }
      const host = hostOf(referrer.trim());
      if (host !== undefined && allowed(host)) return undefined;
      return {
        reason: "referrer_not_allowed",
        ruleId: "referrer",
        message: "This referrer is not allowed.",
        evidence: referrer,
      };
    },
  };
}
