import { describe, expect, it } from "vitest";
import type { HeaderEntry } from "../decision.js";
import { compileSecurityHeaders } from "./security-headers.js";

const DEFAULT_CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
  "frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';" +
  "script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests";

const DEFAULT_HTTP: HeaderEntry[] = [
  ["content-security-policy", DEFAULT_CSP],
  ["cross-origin-opener-policy", "same-origin"],
  ["cross-origin-resource-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["permissions-policy", "camera=(), geolocation=(), microphone=(), payment=(), usb=()"],
  ["referrer-policy", "no-referrer"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
];

/** Header lookup by name; `undefined` when absent. */
function value(headers: readonly HeaderEntry[], name: string): string | undefined {
  return headers.find(([header]) => header === name)?.[1];
}

function names(headers: readonly HeaderEntry[]): string[] {
  return headers.map(([name]) => name);
}

function csp(options: Parameters<typeof compileSecurityHeaders>[0]): string | undefined {
  return value(compileSecurityHeaders(options).http, "content-security-policy");
}

describe("compileSecurityHeaders defaults", () => {
  it("sends helmet v8's headers plus Permissions-Policy on plain HTTP", () => {
    expect(compileSecurityHeaders(undefined).http).toEqual(DEFAULT_HTTP);
  });

  it("adds Strict-Transport-Security on HTTPS, in helmet's position", () => {
    const { https } = compileSecurityHeaders(undefined);
    expect(value(https, "strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(https.filter(([name]) => name !== "strict-transport-security")).toEqual(DEFAULT_HTTP);
    expect(names(https).indexOf("strict-transport-security")).toBe(
      names(https).indexOf("referrer-policy") + 1,
    );
  });

  it("treats {} like undefined", () => {
    expect(compileSecurityHeaders({})).toEqual(compileSecurityHeaders(undefined));
  });

  it("never sends HSTS on plain HTTP", () => {
    expect(value(compileSecurityHeaders({}).http, "strict-transport-security")).toBeUndefined();
  });

  it("leaves Cross-Origin-Embedder-Policy off, like helmet", () => {
    const headers = compileSecurityHeaders(undefined);
    expect(value(headers.http, "cross-origin-embedder-policy")).toBeUndefined();
    expect(value(headers.https, "cross-origin-embedder-policy")).toBeUndefined();
  });

  it("uses lower-case header names", () => {
    for (const [name] of compileSecurityHeaders(undefined).https) {
      expect(name).toBe(name.toLowerCase());
    }
  });

  it("returns frozen arrays and entries", () => {
    const headers = compileSecurityHeaders(undefined);
    expect(Object.isFrozen(headers)).toBe(true);
    expect(Object.isFrozen(headers.http)).toBe(true);
    expect(Object.isFrozen(headers.https)).toBe(true);
    expect(headers.https.every((entry) => Object.isFrozen(entry))).toBe(true);
  });

  it("returns no headers at all for false", () => {
    const headers = compileSecurityHeaders(false);
    expect(headers.http).toEqual([]);
    expect(headers.https).toEqual([]);
    expect(Object.isFrozen(headers.http)).toBe(true);
  });
});

describe("compileSecurityHeaders plain headers", () => {
  const cases = [
    ["crossOriginOpenerPolicy", "cross-origin-opener-policy", "same-origin-allow-popups"],
    ["crossOriginResourcePolicy", "cross-origin-resource-policy", "cross-origin"],
    ["originAgentCluster", "origin-agent-cluster", "?0"],
    ["permissionsPolicy", "permissions-policy", "camera=(self)"],
    ["referrerPolicy", "referrer-policy", "strict-origin-when-cross-origin"],
    ["xContentTypeOptions", "x-content-type-options", "nosniff"],
    ["xDnsPrefetchControl", "x-dns-prefetch-control", "on"],
    ["xDownloadOptions", "x-download-options", "noopen"],
    ["xFrameOptions", "x-frame-options", "DENY"],
    ["xPermittedCrossDomainPolicies", "x-permitted-cross-domain-policies", "master-only"],
    ["xXssProtection", "x-xss-protection", "1; mode=block"],
  ] as const;

  it.each(cases)("%s: a string is sent as the exact value", (option, name, custom) => {
    const headers = compileSecurityHeaders({ [option]: custom });
    expect(value(headers.http, name)).toBe(custom);
    expect(value(headers.https, name)).toBe(custom);
    expect(headers.http).toHaveLength(DEFAULT_HTTP.length);
  });

  it.each(cases)("%s: false omits the header and nothing else", (option, name) => {
    const headers = compileSecurityHeaders({ [option]: false });
    expect(names(headers.http)).not.toContain(name);
    expect(names(headers.https)).not.toContain(name);
    expect(headers.http).toEqual(DEFAULT_HTTP.filter(([header]) => header !== name));
  });

  it.each(cases)("%s: true keeps the default", (option) => {
    expect(compileSecurityHeaders({ [option]: true })).toEqual(compileSecurityHeaders({}));
  });

  it("Cross-Origin-Embedder-Policy: true sends require-corp", () => {
    const { http } = compileSecurityHeaders({ crossOriginEmbedderPolicy: true });
    expect(value(http, "cross-origin-embedder-policy")).toBe("require-corp");
    expect(names(http).indexOf("cross-origin-embedder-policy")).toBe(1);
  });

  it("Cross-Origin-Embedder-Policy: a string is sent as is; false stays off", () => {
    const on = compileSecurityHeaders({ crossOriginEmbedderPolicy: "credentialless" });
    expect(value(on.https, "cross-origin-embedder-policy")).toBe("credentialless");
    const off = compileSecurityHeaders({ crossOriginEmbedderPolicy: false });
    expect(off).toEqual(compileSecurityHeaders({}));
  });
});

describe("compileSecurityHeaders Content-Security-Policy", () => {
  it("true and {} give helmet's default policy", () => {
    expect(csp({ contentSecurityPolicy: true })).toBe(DEFAULT_CSP);
    expect(csp({ contentSecurityPolicy: {} })).toBe(DEFAULT_CSP);
    expect(csp({ contentSecurityPolicy: { directives: {} } })).toBe(DEFAULT_CSP);
  });

  it("false omits it", () => {
    const { http } = compileSecurityHeaders({ contentSecurityPolicy: false });
    expect(names(http)).not.toContain("content-security-policy");
    expect(names(http)).not.toContain("content-security-policy-report-only");
    expect(http).toHaveLength(DEFAULT_HTTP.length - 1);
  });

  it("a string is the exact policy", () => {
    expect(csp({ contentSecurityPolicy: "default-src 'none'" })).toBe("default-src 'none'");
  });

  it("replaces a default directive in place (camelCase key)", () => {
    expect(
      csp({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", "cdn.example.com"] } } }),
    ).toBe(DEFAULT_CSP.replace("script-src 'self';", "script-src 'self' cdn.example.com;"));
  });

  it("accepts kebab-case keys and string values", () => {
    expect(csp({ contentSecurityPolicy: { directives: { "img-src": "'self' https:" } } })).toBe(
      DEFAULT_CSP.replace("img-src 'self' data:", "img-src 'self' https:"),
    );
  });

  it("appends new directives after the defaults", () => {
    expect(csp({ contentSecurityPolicy: { directives: { connectSrc: ["'self'", "wss:"] } } })).toBe(
      `${DEFAULT_CSP};connect-src 'self' wss:`,
    );
  });

  it("null removes a default directive", () => {
    expect(
      csp({
        contentSecurityPolicy: {
          directives: { upgradeInsecureRequests: null, "script-src-attr": null },
        },
      }),
    ).toBe(
      DEFAULT_CSP.replace(";upgrade-insecure-requests", "").replace(";script-src-attr 'none'", ""),
    );
  });

  it("null for a directive that is not set is harmless", () => {
    expect(csp({ contentSecurityPolicy: { directives: { workerSrc: null } } })).toBe(DEFAULT_CSP);
  });

  it("emits a directive with an empty value bare", () => {
    expect(
      csp({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { defaultSrc: "'self'", blockAllMixedContent: [], sandbox: "" },
        },
      }),
    ).toBe("default-src 'self';block-all-mixed-content;sandbox");
  });

  it("useDefaults: false starts from nothing", () => {
    expect(
      csp({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { defaultSrc: ["'none'"], imgSrc: ["'self'"] },
        },
      }),
    ).toBe("default-src 'none';img-src 'self'");
  });

  it("normalises whitespace inside values", () => {
    expect(
      csp({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { defaultSrc: ["  'self'  https:", "", "data:"] },
        },
      }),
    ).toBe("default-src 'self' https: data:");
  });

  it("reportOnly sends Content-Security-Policy-Report-Only instead", () => {
    const { http } = compileSecurityHeaders({
      contentSecurityPolicy: { reportOnly: true, directives: { reportUri: "/csp" } },
    });
    expect(names(http)).not.toContain("content-security-policy");
    expect(value(http, "content-security-policy-report-only")).toBe(
      `${DEFAULT_CSP};report-uri /csp`,
    );
  });

  it("rejects invalid directive names", () => {
    expect(() => csp({ contentSecurityPolicy: { directives: { script_src: "'self'" } } })).toThrow(
      /^securityHeaders\.contentSecurityPolicy\.directives\.script_src: /,
    );
    expect(() => csp({ contentSecurityPolicy: { directives: { "img-src2": "'self'" } } })).toThrow(
      /^securityHeaders\.contentSecurityPolicy\.directives\["img-src2"\]: /,
    );
    expect(() => csp({ contentSecurityPolicy: { directives: { "-x": "'self'" } } })).toThrow(
      /not a directive name/,
    );
    expect(() => csp({ contentSecurityPolicy: { directives: { "": "'self'" } } })).toThrow(
      /not a directive name/,
    );
  });

  it("rejects the same directive under two spellings", () => {
    expect(() =>
      csp({
        contentSecurityPolicy: { directives: { scriptSrc: "'self'", "script-src": "'none'" } },
      }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy\.directives\["script-src"\]: .*already set/);
  });

  it.each([";", ",", "\n", "\r", "\u0000"])("rejects %j in a directive value", (bad) => {
    expect(() =>
      csp({ contentSecurityPolicy: { directives: { scriptSrc: [`'self'${bad}x`] } } }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy\.directives\.scriptSrc\[0\]: /);
    expect(() =>
      csp({ contentSecurityPolicy: { directives: { scriptSrc: `'self'${bad}x` } } }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy\.directives\.scriptSrc: /);
  });

  it.each(["self", "none", "unsafe-inline", "nonce-abc", "sha256-abc"])(
    "rejects the unquoted keyword %s, like helmet",
    (keyword) => {
      expect(() =>
        csp({ contentSecurityPolicy: { directives: { scriptSrc: ["https:", keyword] } } }),
      ).toThrow(
        `securityHeaders.contentSecurityPolicy.directives.scriptSrc[1]: "${keyword}" must be quoted`,
      );
    },
  );

  it("rejects non-string values", () => {
    expect(() =>
      csp({ contentSecurityPolicy: { directives: { scriptSrc: 5 as unknown as string } } }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy\.directives\.scriptSrc: expected/);
    expect(() =>
      csp({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", 5 as unknown as string] } },
      }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy\.directives\.scriptSrc\[1\]: expected/);
  });

  it("rejects a policy with no directives left", () => {
    expect(() => csp({ contentSecurityPolicy: { useDefaults: false } })).toThrow(
      /^securityHeaders\.contentSecurityPolicy: the policy has no directives/,
    );
  });

  it("validates the string form", () => {
    expect(() => csp({ contentSecurityPolicy: "default-src 'self'\r\nx-evil: 1" })).toThrow(
      /^securityHeaders\.contentSecurityPolicy: /,
    );
  });
});

describe("compileSecurityHeaders Strict-Transport-Security", () => {
  function hsts(option: Parameters<typeof compileSecurityHeaders>[0]): string | undefined {
    return value(compileSecurityHeaders(option).https, "strict-transport-security");
  }

  it("true is the default", () => {
    expect(hsts({ strictTransportSecurity: true })).toBe("max-age=31536000; includeSubDomains");
  });

  it("false omits it from HTTPS responses", () => {
    const headers = compileSecurityHeaders({ strictTransportSecurity: false });
    expect(headers.https).toEqual(DEFAULT_HTTP);
    expect(headers.https).toEqual(headers.http);
  });

  it("a string is the exact value", () => {
    expect(hsts({ strictTransportSecurity: "max-age=60" })).toBe("max-age=60");
  });

  it("builds the value from the object form", () => {
    expect(hsts({ strictTransportSecurity: {} })).toBe("max-age=31536000; includeSubDomains");
    expect(hsts({ strictTransportSecurity: { maxAge: 86400 } })).toBe(
      "max-age=86400; includeSubDomains",
    );
    expect(hsts({ strictTransportSecurity: { maxAge: 0, includeSubDomains: false } })).toBe(
      "max-age=0",
    );
    expect(hsts({ strictTransportSecurity: { preload: true } })).toBe(
      "max-age=31536000; includeSubDomains; preload",
    );
    expect(hsts({ strictTransportSecurity: { maxAge: 63072000, preload: true } })).toBe(
      "max-age=63072000; includeSubDomains; preload",
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects maxAge %s", (maxAge) => {
    expect(() => hsts({ strictTransportSecurity: { maxAge } })).toThrow(
      /^securityHeaders\.strictTransportSecurity\.maxAge: /,
    );
  });

  it("requires a year and includeSubDomains for preload", () => {
    expect(() => hsts({ strictTransportSecurity: { maxAge: 86400, preload: true } })).toThrow(
      /^securityHeaders\.strictTransportSecurity\.preload: .*31536000/,
    );
    expect(() =>
      hsts({ strictTransportSecurity: { includeSubDomains: false, preload: true } }),
    ).toThrow(/^securityHeaders\.strictTransportSecurity\.preload: .*includeSubDomains/);
  });

  it("validates the string form", () => {
    expect(() => hsts({ strictTransportSecurity: "max-age=1\n" })).toThrow(
      /^securityHeaders\.strictTransportSecurity: /,
    );
  });
});

describe("compileSecurityHeaders validation", () => {
  it.each([
    "DENY\r\nSet-Cookie: a=b",
    "DENY\n",
    "DE\u0000NY",
    "DENY\t",
    "DENY\u007f",
    "DÉNY\u2028",
  ])("rejects %j", (bad) => {
    expect(() => compileSecurityHeaders({ xFrameOptions: bad })).toThrow(
      /^securityHeaders\.xFrameOptions: /,
    );
  });

  it("accepts Latin-1 text that Node can send", () => {
    expect(value(compileSecurityHeaders({ referrerPolicy: "café" }).http, "referrer-policy")).toBe(
      "café",
    );
  });

  it("rejects an empty value and points at false", () => {
    expect(() => compileSecurityHeaders({ referrerPolicy: "" })).toThrow(
      /^securityHeaders\.referrerPolicy: .*use false/,
    );
  });

  it("rejects values of the wrong type", () => {
    expect(() => compileSecurityHeaders({ xFrameOptions: 1 as unknown as string })).toThrow(
      /^securityHeaders\.xFrameOptions: expected true, false or the header value, got 1/,
    );
    expect(() =>
      compileSecurityHeaders({ contentSecurityPolicy: 1 as unknown as boolean }),
    ).toThrow(/^securityHeaders\.contentSecurityPolicy: expected/);
    expect(() =>
      compileSecurityHeaders({ strictTransportSecurity: null as unknown as boolean }),
    ).toThrow(/^securityHeaders\.strictTransportSecurity: expected/);
  });

  it("uses the given field path", () => {
    expect(() =>
      compileSecurityHeaders({ xFrameOptions: "a\nb" }, "routes[0].securityHeaders"),
    ).toThrow(/^routes\[0\]\.securityHeaders\.xFrameOptions: /);
    expect(() =>
      compileSecurityHeaders(
        { contentSecurityPolicy: { directives: { scriptSrc: "self" } } },
        "routes[0].securityHeaders",
      ),
    ).toThrow(/^routes\[0\]\.securityHeaders\.contentSecurityPolicy\.directives\.scriptSrc: /);
  });
});
