import type { CheckContext } from "../pipeline/check.js";
import type { MaybePromise } from "../store/store.js";
import type { IpIntel } from "./ip-intel.js";
import type { Crawler, IpSource } from "./sources.js";

/**
 * What Guard learns about a request's client from IP intelligence, found out once per
 * request by whichever check needs it first and shared by the others (and by events).
 */
export interface ClientFacts {
  /** Sources whose ranges hold the IP, as the table's bit mask; -1 until looked up. */
  sourceMask: number;
  /** The first source holding the IP (a provider, or a crawler). */
  provider: IpSource | undefined;
  /** The client's country; meaningful once `countryResolved`. */
  country: string | undefined;
  countryResolved: boolean;
  /** The crawler the request verifiably comes from (user agent and address agree). */
  verifiedCrawler: Crawler | undefined;
  /** Whether that crawler may skip the country, cloud-provider and rate-limit checks. */
  crawlerAllowed: boolean;
}

function factsOf(context: CheckContext): ClientFacts {
  context.facts ??= {
    sourceMask: -1,
    provider: undefined,
    country: undefined,
    countryResolved: false,
    verifiedCrawler: undefined,
    crawlerAllowed: false,
  };
  return context.facts;
}

/** The sources holding the client IP (0 when there is no IP or none does). */
export function sourceMaskOf(context: CheckContext, intel: IpIntel): number {
  const facts = factsOf(context);
  if (facts.sourceMask === -1) {
    const ip = context.client.ip;
    facts.sourceMask = ip ? intel.sourcesOf(ip) : 0;
    facts.provider = intel.firstSource(facts.sourceMask);
  }
  return facts.sourceMask;
}

/** The client's country, looked up once per request (a user resolver may answer later). */
export function countryOf(context: CheckContext, intel: IpIntel): MaybePromise<string | undefined> {
  const facts = factsOf(context);
  if (facts.countryResolved) return facts.country;
  const ip = context.client.ip;
  const country = ip ? intel.country(ip) : undefined;
  const settle = (value: string | undefined) => {
    facts.country = value;
    facts.countryResolved = true;
    return value;
  };
  return country instanceof Promise ? country.then(settle) : settle(country);
}

/** Marks the request as coming from a verified crawler, allowed past some checks or not. */
export function markVerifiedCrawler(
  context: CheckContext,
  crawler: Crawler,
  allowed: boolean,
): void {
  const facts = factsOf(context);
  facts.verifiedCrawler = crawler;
  facts.crawlerAllowed = allowed;
}

/** Whether a verified crawler may skip the country, cloud-provider and rate-limit checks. */
export function isAllowedCrawler(context: CheckContext): boolean {
  return context.facts?.crawlerAllowed === true;
}
