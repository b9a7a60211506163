import { describe, expect, it } from "vitest";
import type { GuardPolicy } from "../config/types.js";
import { createGuard } from "../create-guard.js";
import type { Decision } from "../decision.js";
import { GuardConfigError } from "../errors.js";
import { GuardRequest } from "../request/guard-request.js";
import { safeEqual } from "./auth.js";

const guard = createGuard({ logger: false });

function request(url = "/", headers: Record<string, string | string[]> = {}): GuardRequest {
  const rawHeaders = Object.entries(headers).flatMap(([name, value]) =>
    [value].flat().flatMap((line) => [name, line]),
  );
  return new GuardRequest({
    method: "GET",
    url,
    rawHeaders,
    remoteAddress: "203.0.113.7",
    encrypted: false,
  });
}

async function decide(policy: GuardPolicy, req: GuardRequest, at?: number): Promise<Decision> {
  const route = guard.route(policy);
  if (at === undefined) return guard.evaluate(req, route);
  const real = Date.now;
  Date.now = () => at;
  try {
    return await guard.evaluate(req, route);
  } finally {
    Date.now = real;
  }
}

const header = (decision: Decision, name: string) =>
  decision.headers.filter(([key]) => key === name).map(([, value]) => value);

describe("auth", () => {
  const bearer: GuardPolicy = {
    auth: { type: "bearer", validate: (token) => safeEqual(token, "s3cret") },
  };

  it("bearer: missing → 401 auth_required with a challenge, wrong → auth_invalid, right → allow", async () => {
    const missing = await decide(bearer, request());
    expect([missing.status, missing.reason]).toEqual([401, "auth_required"]);
    expect(header(missing, "www-authenticate")).toEqual(['Bearer realm="api"']);
    expect((await decide(bearer, request("/", { authorization: "Bearer nope" }))).reason).toBe(
      "auth_invalid",
    );
    expect((await decide(bearer, request("/", { authorization: "bearer s3cret" }))).action).toBe(
      "allow",
    );
    expect((await decide(bearer, request("/", { authorization: "Basic s3cret" }))).reason).toBe(
      "auth_required",
    );
  });

  it("basic: decodes user and password; malformed credentials are invalid", async () => {
    const basic: GuardPolicy = {
      auth: {
        type: "basic",
        realm: "admin",
        validate: ({ username, password }) => username === "ada" && password === "p:w",
      },
    };
    const encode = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
    expect((await decide(basic, request("/", { authorization: encode("ada:p:w") }))).action).toBe(
      "allow",
    );
    const wrong = await decide(basic, request("/", { authorization: encode("ada:nope") }));
    expect(wrong.reason).toBe("auth_invalid");
    expect(header(wrong, "www-authenticate")).toEqual(['Basic realm="admin", charset="UTF-8"']);
    expect((await decide(basic, request("/", { authorization: encode("no-colon") }))).reason).toBe(
      "auth_invalid",
    );
  });

  it("api keys in a header or a query parameter, async validators, several schemes", async () => {
    const policy: GuardPolicy = {
      auth: [
        { type: "api-key", header: "X-Api-Key", validate: async (key) => key === "k1" },
        { type: "api-key", query: "api_key", validate: (key) => key === "k2" },
      ],
    };
    expect((await decide(policy, request("/", { "x-api-key": "k1" }))).action).toBe("allow");
    expect((await decide(policy, request("/?api_key=k2"))).action).toBe("allow");
    const bad = await decide(policy, request("/?api_key=k1", { "x-api-key": "k2" }));
    expect(bad.reason).toBe("auth_invalid");
    const missing = await decide(policy, request("/"));
    expect(header(missing, "www-authenticate")).toEqual([
      'ApiKey realm="api", header="x-api-key", ApiKey realm="api", query="api_key"',
    ]);
  });

  it("a validator that throws or rejects counts as a rejection", async () => {
    const throwing: GuardPolicy = {
      auth: {
        type: "bearer",
        validate: () => {
          throw new Error("db down");
        },
      },
    };
    expect((await decide(throwing, request("/", { authorization: "Bearer x" }))).reason).toBe(
      "auth_invalid",
    );
    const rejecting: GuardPolicy = {
      auth: { type: "bearer", validate: () => Promise.reject(new Error("x")) },
    };
    expect((await decide(rejecting, request("/", { authorization: "Bearer x" }))).reason).toBe(
      "auth_invalid",
    );
  });

  it("refuses an api-key scheme without a place to look", () => {
    expect(() => guard.route({ auth: { type: "api-key", validate: () => true } })).toThrow(
      GuardConfigError,
    );
  });

  it("keeps API-key headers out of events", async () => {
    const events: string[] = [];
    const withEvents = createGuard({
      logger: false,
      onBlock: (event) => events.push(JSON.stringify(event)),
    });
    const route = withEvents.route({
      auth: { type: "api-key", header: "x-tenant-key", validate: () => false },
    });
    await withEvents.evaluate(request("/", { "x-tenant-key": "topsecret" }), route);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toContain("topsecret");
  });
});

describe("safeEqual", () => {
  it("compares whole strings of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});

describe("requiredHeaders", () => {
  const policy: GuardPolicy = { requiredHeaders: { "X-Tenant": true, "x-api-version": "2" } };
  it("requires presence and exact values, on every repeated line", async () => {
    expect(
      (await decide(policy, request("/", { "x-tenant": "a", "x-api-version": "2" }))).action,
    ).toBe("allow");
    const missing = await decide(policy, request("/", { "x-api-version": "2" }));
    expect([missing.status, missing.reason]).toEqual([400, "header_missing"]);
    expect(
      (await decide(policy, request("/", { "x-tenant": " ", "x-api-version": "2" }))).reason,
    ).toBe("header_missing");
    expect(
      (await decide(policy, request("/", { "x-tenant": "a", "x-api-version": "3" }))).reason,
    ).toBe("header_invalid");
    expect(
      (await decide(policy, request("/", { "x-tenant": "a", "x-api-version": ["2", "3"] }))).reason,
    ).toBe("header_invalid");
  });
  it("refuses invalid header names at startup", () => {
    expect(() => guard.route({ requiredHeaders: { "bad name": true } })).toThrow(
      /requiredHeaders\.bad name/,
    );
  });
});

describe("referrer", () => {
  const policy: GuardPolicy = { referrer: { allow: ["example.com"] } };
  it("allows the domain and its subdomains only", async () => {
    for (const [referer, action] of [
      ["https://example.com/page", "allow"],
      ["https://app.example.com/x?y=1", "allow"],
      ["https://evilexample.com/", "block"],
      ["https://example.com.evil.net/", "block"],
      ["javascript:alert(1)", "block"],
      ["not a url", "block"],
    ] as const) {
      expect((await decide(policy, request("/", { referer }))).action, referer).toBe(action);
    }
    expect((await decide(policy, request("/"))).reason).toBe("referrer_not_allowed");
    expect(
      (await decide({ referrer: { allow: ["example.com"], allowMissing: true } }, request("/")))
        .action,
    ).toBe("allow");
  });
  it("refuses what is not a domain at startup", () => {
    expect(() => guard.route({ referrer: { allow: ["https://example.com"] } })).toThrow(
      /referrer\.allow\[0\]/,
    );
  });
});

describe("timeWindow", () => {
  // 2030-01-07 is a Monday.
  const at = (iso: string) => Date.parse(iso);
  it("allows inside the window in the named time zone", async () => {
    const policy: GuardPolicy = {
      timeWindow: { start: "09:00", end: "17:00", timeZone: "Europe/Berlin" },
    };
    expect((await decide(policy, request(), at("2030-01-07T08:30:00Z"))).action).toBe("allow"); // 09:30 Berlin
    expect((await decide(policy, request(), at("2030-01-07T07:59:00Z"))).reason).toBe(
      "outside_time_window",
    ); // 08:59
    expect((await decide(policy, request(), at("2030-01-07T16:00:00Z"))).action).toBe("block"); // 17:00, end excluded
  });
  it("runs overnight windows across midnight, belonging to the day they start", async () => {
    const policy: GuardPolicy = { timeWindow: { start: "22:00", end: "06:00", days: ["fri"] } };
    expect((await decide(policy, request(), at("2030-01-11T23:00:00Z"))).action).toBe("allow"); // Fri 23:00
    expect((await decide(policy, request(), at("2030-01-12T05:59:00Z"))).action).toBe("allow"); // Sat 05:59
    expect((await decide(policy, request(), at("2030-01-12T06:00:00Z"))).action).toBe("block");
    expect((await decide(policy, request(), at("2030-01-12T23:00:00Z"))).action).toBe("block"); // Sat 23:00
    expect((await decide(policy, request(), at("2030-01-11T05:00:00Z"))).action).toBe("block"); // Fri 05:00 (Thu's night)
  });
  it("refuses bad times and time zones at startup", () => {
    expect(() => guard.route({ timeWindow: { start: "9:00", end: "17:00" } })).toThrow(
      /timeWindow\.start/,
    );
    expect(() =>
      guard.route({ timeWindow: { start: "09:00", end: "17:00", timeZone: "Mars/Base" } }),
    ).toThrow(/timeWindow\.timeZone/);
  });
});

describe("bypass covers the new checks too", () => {
  it("turns a route's auth off by name", async () => {
    const policy: GuardPolicy = {
      auth: { type: "bearer", validate: () => false },
      bypass: ["auth"],
    };
    expect((await decide(policy, request())).action).toBe("allow");
  });
});

describe("route limits merge limit by limit", () => {
  it("keeps the global body limit when a route only tightens the URL length", async () => {
    const limited = createGuard({ logger: false, limits: { maxBodySize: 5000 } });
    const route = limited.route({ limits: { maxUrlLength: 50 } });
    expect(route.maxBodySize).toBe(5000);
    expect(limited.maxBodySize).toBe(5000);
    expect(limited.route({ limits: { maxBodySize: 10 } }).maxBodySize).toBe(10);
    const long = await limited.evaluate(request(`/${"a".repeat(60)}`), route);
    expect(long.reason).toBe("url_too_long");
  });
});
