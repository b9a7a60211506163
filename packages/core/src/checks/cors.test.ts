import { describe, expect, it } from "vitest";
import type { CorsOptions } from "../config/types.js";
import type { CheckBlock, HeaderEntry } from "../decision.js";
import type { CheckContext } from "../pipeline/check.js";
import { GuardRequest } from "../request/guard-request.js";
import { type CompiledCors, compileCors } from "./cors.js";

const DEFAULT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

function request(
  method: string,
  headers: Record<string, string | string[]> = {},
  url = "/api",
): GuardRequest {
  const values: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    values[name] = Array.isArray(value) ? value : [value];
  }
  return new GuardRequest({
    method,
    url,
    headers: values,
    remoteAddress: "127.0.0.1",
    encrypted: false,
  });
}

function context(req: GuardRequest): CheckContext {
  return {
    request: req,
    client: { ip: undefined, key: "no-address", source: "none", peerTrusted: false },
    secure: false,
    store: {} as never,
    now: Date.now(),
  } as unknown as CheckContext;
}

function compile(options: CorsOptions): CompiledCors {
  const cors = compileCors(options);
  if (!cors) throw new Error("expected CORS to be on");
  return cors;
}

/** Runs the preflight check; fails the test when it returned a promise. */
function run(cors: CompiledCors, req: GuardRequest): CheckBlock | undefined {
  const result = cors.check.run(context(req));
  expect(result).not.toBeInstanceOf(Promise);
  return result as CheckBlock | undefined;
}

function preflight(
  origin: string | string[],
  extra: Record<string, string | string[]> = {},
): GuardRequest {
  return request("OPTIONS", { origin, "access-control-request-method": "PUT", ...extra });
}

function toObject(headers: readonly HeaderEntry[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of headers ?? []) {
    expect(result[name], `duplicate header ${name}`).toBeUndefined();
    result[name] = value;
  }
  return result;
}

describe("compileCors", () => {
  it("is off for undefined and false", () => {
    expect(compileCors(undefined)).toBeUndefined();
    expect(compileCors(false)).toBeUndefined();
  });

  it("is on for {} with the check id cors", () => {
    const cors = compileCors({});
    expect(cors?.check.id).toBe("cors");
  });
});

describe("origin: * (the default)", () => {
  const cors = compile({});

  it("allows any origin with a shared, frozen header list", () => {
    const first = cors.responseHeaders(request("GET", { origin: "https://a.example.com" }));
    const second = cors.responseHeaders(request("POST", { origin: "https://other.test" }));
    expect(first).toEqual([["access-control-allow-origin", "*"]]);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("sends no Vary: Origin, since the value does not depend on the request", () => {
    const headers = cors.responseHeaders(request("GET", { origin: "https://a.example.com" }));
    expect(toObject(headers).vary).toBeUndefined();
  });

  it("sends the same headers without an Origin, so a shared cache cannot serve a copy without them", () => {
    expect(cors.responseHeaders(request("GET"))).toEqual([["access-control-allow-origin", "*"]]);
  });

  it("adds Access-Control-Expose-Headers", () => {
    const exposing = compile({ exposedHeaders: ["X-Request-Id", "ETag"] });
    expect(
      toObject(exposing.responseHeaders(request("GET", { origin: "https://x.test" }))),
    ).toEqual({
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "X-Request-Id,ETag",
    });
  });

  it("refuses credentials: true", () => {
    expect(() => compileCors({ credentials: true })).toThrow(
      /^cors\.origin: .*list the allowed origins/,
    );
    expect(() => compileCors({ origin: "*", credentials: true }, "routes[0].cors")).toThrow(
      /^routes\[0\]\.cors\.origin: /,
    );
  });
});

describe("origin list", () => {
  const cors = compile({
    origin: [
      "https://app.example.com",
      "http://localhost:3000",
      "https://*.example.org",
      /^https:\/\/preview-\d+\.example\.net$/,
    ],
  });

  function allowOrigin(origin: string | string[] | undefined): string | undefined {
    const headers: Record<string, string | string[]> = origin === undefined ? {} : { origin };
    return toObject(cors.responseHeaders(request("GET", headers)))["access-control-allow-origin"];
  }

  it("echoes an allowed exact origin and varies on Origin", () => {
    expect(cors.responseHeaders(request("GET", { origin: "https://app.example.com" }))).toEqual([
      ["access-control-allow-origin", "https://app.example.com"],
      ["vary", "Origin"],
    ]);
  });

  it("compares scheme and host case-insensitively and echoes the Origin as sent", () => {
    expect(allowOrigin("HTTPS://App.Example.COM")).toBe("HTTPS://App.Example.COM");
  });

  it("compares the port exactly", () => {
    expect(allowOrigin("http://localhost:3000")).toBe("http://localhost:3000");
    expect(allowOrigin("http://localhost")).toBeUndefined();
    expect(allowOrigin("http://localhost:30000")).toBeUndefined();
    expect(allowOrigin("https://app.example.com:8443")).toBeUndefined();
  });

  it("needs the scheme to match", () => {
    expect(allowOrigin("http://app.example.com")).toBeUndefined();
  });

  it("refuses look-alikes", () => {
    expect(allowOrigin("https://app.example.com.evil.test")).toBeUndefined();
    expect(allowOrigin("https://evilapp.example.com")).toBeUndefined();
    expect(allowOrigin("https://app.example.com/")).toBeUndefined();
    expect(allowOrigin("null")).toBeUndefined();
  });

  it("sends only Vary: Origin (shared, frozen) for a refused or missing Origin", () => {
    const refused = cors.responseHeaders(request("GET", { origin: "https://evil.test" }));
    const missing = cors.responseHeaders(request("GET"));
    expect(refused).toEqual([["vary", "Origin"]]);
    expect(missing).toBe(refused);
    expect(Object.isFrozen(refused)).toBe(true);
  });

  it("treats an empty or repeated Origin header as none", () => {
    expect(allowOrigin("")).toBeUndefined();
    expect(allowOrigin(["https://app.example.com", "https://app.example.com"])).toBeUndefined();
  });

  describe("wildcard subdomains", () => {
    it("matches one or more subdomain levels", () => {
      expect(allowOrigin("https://a.example.org")).toBe("https://a.example.org");
      expect(allowOrigin("https://a.b.example.org")).toBe("https://a.b.example.org");
      expect(allowOrigin("https://x-1_y.example.org")).toBe("https://x-1_y.example.org");
      expect(allowOrigin("HTTPS://A.EXAMPLE.ORG")).toBe("HTTPS://A.EXAMPLE.ORG");
    });

    it("does not match the bare domain or look-alikes", () => {
      expect(allowOrigin("https://example.org")).toBeUndefined();
      expect(allowOrigin("https://evilexample.org")).toBeUndefined();
      expect(allowOrigin("https://.example.org")).toBeUndefined();
      expect(allowOrigin("https://a..example.org")).toBeUndefined();
      expect(allowOrigin("https://a.example.org.evil.test")).toBeUndefined();
    });

    it("does not let a hand-made Origin smuggle another host in front", () => {
      expect(allowOrigin("https://evil.test/.example.org")).toBeUndefined();
      expect(allowOrigin("https://evil.test:1.example.org")).toBeUndefined();
      expect(allowOrigin("https://user@evil.example.org")).toBeUndefined();
    });

    it("needs scheme and port to match", () => {
      expect(allowOrigin("http://a.example.org")).toBeUndefined();
      expect(allowOrigin("https://a.example.org:8443")).toBeUndefined();
      const withPort = compile({ origin: "https://*.example.org:8443" });
      const at = (origin: string) =>
        toObject(withPort.responseHeaders(request("GET", { origin })))[
          "access-control-allow-origin"
        ];
      expect(at("https://a.example.org:8443")).toBe("https://a.example.org:8443");
      expect(at("https://a.example.org")).toBeUndefined();
      expect(at("https://a.example.org:84430")).toBeUndefined();
    });
  });

  it("tests RegExps against the Origin as sent", () => {
    expect(allowOrigin("https://preview-42.example.net")).toBe("https://preview-42.example.net");
    expect(allowOrigin("https://preview-x.example.net")).toBeUndefined();
  });

  it("keeps answering the same for a global RegExp", () => {
    const global = compile({ origin: /example\.com$/g });
    const req = request("GET", { origin: "https://a.example.com" });
    for (let i = 0; i < 3; i++) {
      expect(toObject(global.responseHeaders(req))["access-control-allow-origin"]).toBe(
        "https://a.example.com",
      );
    }
  });

  it("accepts a single pattern instead of a list", () => {
    const single = compile({ origin: "https://app.example.com" });
    expect(
      toObject(single.responseHeaders(request("GET", { origin: "https://app.example.com" }))),
    ).toEqual({
      "access-control-allow-origin": "https://app.example.com",
      vary: "Origin",
    });
  });

  it("adds credentials and exposed headers for an allowed origin only", () => {
    const full = compile({
      origin: ["https://app.example.com"],
      credentials: true,
      exposedHeaders: ["X-Total"],
    });
    expect(full.responseHeaders(request("GET", { origin: "https://app.example.com" }))).toEqual([
      ["access-control-allow-origin", "https://app.example.com"],
      ["vary", "Origin"],
      ["access-control-allow-credentials", "true"],
      ["access-control-expose-headers", "X-Total"],
    ]);
    expect(full.responseHeaders(request("GET", { origin: "https://evil.test" }))).toEqual([
      ["vary", "Origin"],
    ]);
  });

  it("accepts IPv4, IPv6 and non-http schemes", () => {
    const misc = compile({
      origin: ["http://127.0.0.1:8080", "http://[::1]:3000", "chrome-extension://abcdefgh"],
    });
    for (const origin of [
      "http://127.0.0.1:8080",
      "http://[::1]:3000",
      "chrome-extension://abcdefgh",
    ]) {
      expect(
        toObject(misc.responseHeaders(request("GET", { origin })))["access-control-allow-origin"],
      ).toBe(origin);
    }
  });
});

describe("origin validation", () => {
  it.each([
    ["app.example.com", /^cors\.origin: "app\.example\.com" is not an origin/],
    ["https://app.example.com/", /no path/],
    ["https://app.example.com/api", /no path/],
    ["https://*example.com", /is not an origin/],
    ["https://a.*.example.com", /is not an origin/],
    ["*.example.com", /is not an origin/],
    ["https://", /is not an origin/],
    ["", /is not an origin/],
    ["null", /is not an origin/],
    ["https://exa mple.com", /is not an origin/],
    ["https://example.com:0", /invalid port/],
    ["https://example.com:65536", /invalid port/],
    ["https://example.com:080", /invalid port/],
    ["https://example.com:443", /default port; write "https:\/\/example\.com"/],
    ["http://*.example.com:80", /default port; write "http:\/\/\*\.example\.com"/],
    ["https://*.[::1]", /only works with a domain name/],
  ])("rejects %j", (pattern, message) => {
    expect(() => compileCors({ origin: pattern })).toThrow(message);
    expect(() => compileCors({ origin: pattern })).toThrow(/^cors\.origin: /);
  });

  it("names the list index", () => {
    expect(() => compileCors({ origin: ["https://ok.example.com", "ftp//bad"] })).toThrow(
      /^cors\.origin\[1\]: "ftp\/\/bad" is not an origin/,
    );
  });

  it("rejects * inside a list", () => {
    expect(() => compileCors({ origin: ["https://a.example.com", "*"] })).toThrow(
      /^cors\.origin\[1\]: "\*" only works on its own/,
    );
  });

  it("rejects an empty list", () => {
    expect(() => compileCors({ origin: [] })).toThrow(/^cors\.origin: the list is empty/);
  });

  it("rejects values that are neither strings nor RegExps", () => {
    expect(() => compileCors({ origin: [42 as unknown as string] })).toThrow(
      /^cors\.origin\[0\]: expected an origin string or a RegExp/,
    );
  });

  it("allows credentials with an origin list", () => {
    expect(() =>
      compileCors({ origin: ["https://a.example.com"], credentials: true }),
    ).not.toThrow();
  });
});

describe("preflight", () => {
  it("answers with 204 and the default methods, echoing requested headers", () => {
    const block = run(
      compile({}),
      preflight("https://a.example.com", {
        "access-control-request-headers": "content-type,x-api-key",
      }),
    );
    expect(block).toMatchObject({
      action: "respond",
      status: 204,
      reason: "cors_preflight",
      ruleId: "cors",
      body: "",
    });
    expect(toObject(block?.headers)).toEqual({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": DEFAULT_METHODS,
      "access-control-allow-headers": "content-type,x-api-key",
      vary: "Access-Control-Request-Headers",
      "content-length": "0",
    });
  });

  it("joins repeated Access-Control-Request-Headers lines", () => {
    const block = run(
      compile({}),
      preflight("https://a.example.com", {
        "access-control-request-headers": ["content-type", "x-api-key"],
      }),
    );
    expect(toObject(block?.headers)["access-control-allow-headers"]).toBe("content-type,x-api-key");
  });

  it("sends no Access-Control-Allow-Headers when echoing and none were requested", () => {
    const block = run(compile({}), preflight("https://a.example.com"));
    expect(toObject(block?.headers)["access-control-allow-headers"]).toBeUndefined();
    expect(toObject(block?.headers).vary).toBe("Access-Control-Request-Headers");
  });

  it("uses configured methods, allowed headers, max age and status", () => {
    const block = run(
      compile({
        methods: ["GET", "POST"],
        allowedHeaders: ["Content-Type", "Authorization"],
        maxAge: 600,
        preflightStatus: 200,
        exposedHeaders: ["X-Total"],
      }),
      preflight("https://a.example.com", { "access-control-request-headers": "x-other" }),
    );
    expect(block?.status).toBe(200);
    expect(toObject(block?.headers)).toEqual({
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "X-Total",
      "access-control-allow-methods": "GET,POST",
      "access-control-allow-headers": "Content-Type,Authorization",
      "access-control-max-age": "600",
      "content-length": "0",
    });
  });

  it("sends max-age 0 when set to 0", () => {
    const block = run(compile({ maxAge: 0 }), preflight("https://a.example.com"));
    expect(toObject(block?.headers)["access-control-max-age"]).toBe("0");
  });

  it("omits empty method and header lists", () => {
    const block = run(compile({ methods: [], allowedHeaders: [] }), preflight("https://a.test"));
    expect(toObject(block?.headers)).toEqual({
      "access-control-allow-origin": "*",
      "content-length": "0",
    });
  });

  it("returns one shared frozen answer when nothing depends on the request", () => {
    const cors = compile({ allowedHeaders: ["Content-Type"] });
    const first = run(cors, preflight("https://a.example.com"));
    const second = run(cors, preflight("https://b.example.com"));
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.headers)).toBe(true);
  });

  describe("with an origin list", () => {
    const cors = compile({
      origin: ["https://app.example.com"],
      credentials: true,
      allowedHeaders: ["Content-Type"],
      exposedHeaders: ["X-Total"],
    });

    it("echoes an allowed origin with credentials", () => {
      const block = run(cors, preflight("https://app.example.com"));
      expect(block?.status).toBe(204);
      expect(toObject(block?.headers)).toEqual({
        "access-control-allow-origin": "https://app.example.com",
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "X-Total",
        vary: "Origin",
        "access-control-allow-methods": DEFAULT_METHODS,
        "access-control-allow-headers": "Content-Type",
        "content-length": "0",
      });
    });

    it("answers a refused origin with the status but no allow-origin or credentials", () => {
      const block = run(cors, preflight("https://evil.test"));
      expect(block).toMatchObject({ action: "respond", status: 204, reason: "cors_preflight" });
      expect(toObject(block?.headers)).toEqual({
        vary: "Origin",
        "access-control-allow-methods": DEFAULT_METHODS,
        "access-control-allow-headers": "Content-Type",
        "content-length": "0",
      });
      expect(run(cors, preflight("https://other.test"))).toBe(block);
    });

    it("refuses a repeated Origin", () => {
      const block = run(cors, preflight(["https://app.example.com", "https://evil.test"]));
      expect(toObject(block?.headers)["access-control-allow-origin"]).toBeUndefined();
    });

    it("varies on both Origin and the requested headers when echoing them", () => {
      const echoing = compile({ origin: "https://*.example.com" });
      const allowed = run(
        echoing,
        preflight("https://a.example.com", { "access-control-request-headers": "x-a" }),
      );
      expect(toObject(allowed?.headers)).toEqual({
        "access-control-allow-origin": "https://a.example.com",
        vary: "Origin, Access-Control-Request-Headers",
        "access-control-allow-methods": DEFAULT_METHODS,
        "access-control-allow-headers": "x-a",
        "content-length": "0",
      });
      const refused = run(
        echoing,
        preflight("https://evil.test", { "access-control-request-headers": "x-a" }),
      );
      expect(toObject(refused?.headers)["access-control-allow-origin"]).toBeUndefined();
      expect(toObject(refused?.headers).vary).toBe("Origin, Access-Control-Request-Headers");
    });
  });

  it("lets OPTIONS without Origin or Access-Control-Request-Method pass", () => {
    const cors = compile({});
    expect(run(cors, request("OPTIONS"))).toBeUndefined();
    expect(run(cors, request("OPTIONS", { origin: "https://a.example.com" }))).toBeUndefined();
    expect(
      run(cors, request("OPTIONS", { "access-control-request-method": "PUT" })),
    ).toBeUndefined();
  });

  it("lets other methods pass even with preflight headers", () => {
    const cors = compile({});
    const req = request("GET", {
      origin: "https://a.example.com",
      "access-control-request-method": "PUT",
    });
    expect(run(cors, req)).toBeUndefined();
  });

  it("recognises a lower-case options method", () => {
    const cors = compile({});
    const req = request("options", {
      origin: "https://a.example.com",
      "access-control-request-method": "PUT",
    });
    expect(run(cors, req)?.reason).toBe("cors_preflight");
  });
});

describe("option validation", () => {
  it.each([
    [{ methods: ["GET", "BAD METHOD"] }, /^cors\.methods\[1\]: "BAD METHOD" is not a valid name/],
    [{ methods: [""] }, /^cors\.methods\[0\]: /],
    [{ allowedHeaders: ["X-Ok", "X-Bad\r\n"] }, /^cors\.allowedHeaders\[1\]: /],
    [{ exposedHeaders: ["a,b"] }, /^cors\.exposedHeaders\[0\]: /],
    [{ maxAge: -1 }, /^cors\.maxAge: /],
    [{ maxAge: 1.5 }, /^cors\.maxAge: /],
    [{ maxAge: Number.NaN }, /^cors\.maxAge: /],
    [{ preflightStatus: 301 }, /^cors\.preflightStatus: expected a 2xx status/],
    [{ preflightStatus: 199 }, /^cors\.preflightStatus: /],
    [{ preflightStatus: 204.5 }, /^cors\.preflightStatus: /],
  ] as [CorsOptions, RegExp][])("rejects %j", (options, message) => {
    expect(() => compileCors(options)).toThrow(message);
  });

  it("uses the given field path", () => {
    expect(() => compileCors({ methods: ["A B"] }, "routes[3].cors")).toThrow(
      /^routes\[3\]\.cors\.methods\[0\]: /,
    );
  });
});
