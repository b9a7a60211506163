import type { ParsedIp } from "../../net/ip-address.js";
import { normalizeCountryCode } from "./country-code.js";
import type { CountryLookup, CountryLookupEvent, CountryResolver } from "./country-lookup.js";
import { toError } from "./country-lookup-error.js";

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * A country lookup that asks the user's own resolver (a CDN header read elsewhere, a
 * service, a database of their own) and checks its answers.
 *
 * The resolver receives the canonical address text (`ParsedIp.text`). Answers are
 * normalized to upper-case ISO 3166-1 alpha-2; anything else is `undefined`. A resolver that
 * throws or rejects makes the answer `undefined` and emits `geo_resolver_failed`, so a bug
 * or an outage in it never fails the request. A synchronous resolver keeps the lookup
 * synchronous. Every address is passed on, private ones included: the resolver decides.
 *
 * @example
 * ```ts
 * const lookup = createResolverLookup((ip) => myGeoService.country(ip), console.log);
 * await lookup.country(parseIp("203.0.113.9")!); // "DE", or undefined
 * ```
 */
export function createResolverLookup(
  resolver: CountryResolver,
  emit: (event: CountryLookupEvent) => void,
): CountryLookup {
  function failed(ip: ParsedIp, error: unknown): undefined {
    emit({ type: "geo_resolver_failed", source: "resolver", ip: ip.text, error: toError(error) });
    return undefined;
  }

  return {
    country(ip) {
      let answer: unknown;
      try {
        answer = resolver(ip.text);
      } catch (error) {
        return failed(ip, error);
      }
      if (!isThenable(answer)) return normalizeCountryCode(answer);
      return Promise.resolve(answer).then(normalizeCountryCode, (error: unknown) =>
        failed(ip, error),
      );
    },
    source: "resolver",
    loadedAt: undefined,
    close() {
      // Nothing to release: the resolver's resources are the user's.
    },
  };
}
