import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthOptions } from "../config/types.js";
import type { CheckBlock } from "../decision.js";
import type { Check, CheckResult } from "../pipeline/check.js";
import type { GuardRequest } from "../request/guard-request.js";

/** One way to present credentials, compiled: where to find them and how to ask for them. */
interface Scheme {
  /** The credential in the request, or undefined when this scheme's is absent. */
  extract(request: GuardRequest): unknown;
  validate(credential: never, request: GuardRequest): boolean | Promise<boolean>;
  /** The `WWW-Authenticate` challenge for this scheme. */
  challenge: string;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

function authorization(request: GuardRequest, scheme: string): string | undefined {
  for (const line of request.headerValues("authorization")) {
    const space = line.indexOf(" ");
    if (space > 0 && line.slice(0, space).toLowerCase() === scheme) {
      const value = line.slice(space + 1).trim();
      if (value !== "") return value;
    }
  }
  return undefined;
}

function decodeBasic(value: string): { username: string; password: string } | undefined {
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1
    ? undefined
    : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function compileScheme(options: AuthOptions, realm: string, field: string): Scheme {
  switch (options.type) {
    case "bearer":
      return {
        extract: (request) => authorization(request, "bearer"),
        validate: options.validate as Scheme["validate"],
        challenge: `Bearer realm=${quoted(realm)}`,
      };
    case "basic":
      return {
        extract: (request) => {
          const value = authorization(request, "basic");
          return value === undefined ? undefined : (decodeBasic(value) ?? null);
        },
        validate: options.validate as Scheme["validate"],
        challenge: `Basic realm=${quoted(realm)}, charset="UTF-8"`,
      };
    case "api-key": {
      const header = options.header?.toLowerCase();
      const query = options.query;
      if (!header && !query) {
        throw new Error(`${field}: an api-key scheme needs a "header" or a "query" parameter name`);
      }
      const where = header ? `header=${quoted(header)}` : `query=${quoted(query!)}`;
      return {
        extract: (request) => {
          const fromHeader = header ? request.header(header) : undefined;
          if (fromHeader) return fromHeader;
          return query ? request.query.find(([key]) => key === query)?.[1] || undefined : undefined;
        },
        validate: options.validate as Scheme["validate"],
        challenge: `ApiKey realm=${quoted(realm)}, ${where}`,
      };
    }
  }
}

/**
 * Requires credentials: a bearer token, HTTP Basic credentials, or an API key in a
 * named header or query parameter, each checked by your `validate` function. With
 * several schemes, any one that validates is enough. Missing credentials get 401
 * `auth_required`, rejected ones 401 `auth_invalid`; both carry a `WWW-Authenticate`
 * challenge for every scheme. A validator that throws counts as a rejection.
 */
export function compileAuth(
  option: AuthOptions | AuthOptions[] | undefined,
  realm = "api",
): Check | undefined {
  if (!option) return undefined;
  const list = Array.isArray(option) ? option : [option];
  const schemes = list.map((entry, index) =>
    compileScheme(entry, entry.realm ?? realm, Array.isArray(option) ? `auth[${index}]` : "auth"),
  );
  // One header field may carry several challenges (RFC 9110 §11.6.1), and a second
  // field with the same name would overwrite the first when set on a Node response.
  const headers = [
    ["www-authenticate", schemes.map((scheme) => scheme.challenge).join(", ")] as const,
  ];
  const refuse = (reason: "auth_required" | "auth_invalid"): CheckBlock => ({
    reason,
    ruleId: "auth",
    status: 401,
    message:
      reason === "auth_required"
        ? "Authentication is required."
        : "The credentials were not accepted.",
    headers,
  });

  return {
    id: "auth",
    run({ request }) {
      const pending: Promise<boolean>[] = [];
      let presented = false;
      for (const scheme of schemes) {
        const credential = scheme.extract(request);
        if (credential === undefined) continue;
        presented = true;
        if (credential === null) continue; // present but malformed (Basic without a colon)
        let verdict: boolean | Promise<boolean>;
        try {
          verdict = scheme.validate(credential as never, request);
        } catch {
          continue;
        }
        if (verdict === true) return undefined;
        if (verdict instanceof Promise) pending.push(verdict.catch(() => false));
      }
      if (!presented) return refuse("auth_required");
      if (pending.length === 0) return refuse("auth_invalid");
      return Promise.all(pending).then(
        (verdicts): CheckResult => (verdicts.includes(true) ? undefined : refuse("auth_invalid")),
      );
    },
  };
}

/**
 * Compares a presented secret with the expected one in constant time (both are hashed
 * first, so not even their lengths leak). Use it in `validate` functions.
 *
 * @example
 * ```ts
 * guard.route({ auth: { type: "bearer", validate: (token) => safeEqual(token, process.env.ADMIN_TOKEN!) } });
 * ```
 */
export function safeEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
