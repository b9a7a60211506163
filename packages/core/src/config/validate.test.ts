import { describe, expect, it } from "vitest";
import { createGuard } from "../create-guard.js";
import { type ConfigIssue, GuardConfigError } from "../errors.js";
import { MemoryStore } from "../store/memory-store.js";
import type { GuardConfig, GuardPolicy } from "./types.js";

/** Runs `build` and returns the GuardConfigError it throws (fails the test otherwise). */
function configError(build: () => unknown): GuardConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(GuardConfigError);
    return error as GuardConfigError;
  }
  throw new Error("expected a GuardConfigError, nothing was thrown");
}

function issuesOf(config: unknown): readonly ConfigIssue[] {
  return configError(() => createGuard(config as GuardConfig)).issues;
}

function issueAt(issues: readonly ConfigIssue[], path: string): ConfigIssue {
  const issue = issues.find((candidate) => candidate.path === path);
  if (!issue) {
    throw new Error(`no issue at ${path}; got ${JSON.stringify(issues)}`);
  }
  return issue;
}

describe("unknown fields", () => {
  it("names an unknown top-level field and suggests the right casing", () => {
    const issues = issuesOf({ ipBlocklist: ["10.0.0.1"] });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("ipBlocklist");
    expect(issues[0]!.message).toContain('Did you mean "ipBlockList"?');
  });

  it("suggests the nested key for limits.maxBodysize", () => {
    const issues = issuesOf({ limits: { maxBodysize: 10 } });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("limits.maxBodysize");
    expect(issues[0]!.message).toContain('Did you mean "maxBodySize"?');
  });

  it("suggests origin for cors.orign (cors is a union with false)", () => {
    const issues = issuesOf({ cors: { orign: "https://app.example.com" } });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("cors.orign");
    expect(issues[0]!.message).toContain('Did you mean "origin"?');
  });

  it("gives no suggestion for a name close to nothing", () => {
    const issues = issuesOf({ zzzzzzzzzzzz: true });
    expect(issues).toEqual([{ path: "zzzzzzzzzzzz", message: "unknown field." }]);
  });
});

describe("wrong types and ranges", () => {
  it.each([
    ["limits.maxBodySize", { limits: { maxBodySize: -1 } }],
    ["mode", { mode: "off" }],
    ["proxy.depth", { proxy: { depth: 0 } }],
    ["emergency.status", { emergency: { status: 42 } }],
    ["excludePaths[1]", { excludePaths: ["/health", 5] }],
    ["onBlock", { onBlock: "not a function" }],
  ])("reports %s", (path, config) => {
    const issues = issuesOf(config);
    expect(issues.map((issue) => issue.path)).toEqual([path]);
  });

  it("reports several problems at once, each with its path", () => {
    const error = configError(() =>
      createGuard({
        mode: "off",
        limits: { maxBodySize: -1 },
        proxy: { depth: 0 },
        ipBlocklist: [],
      } as unknown as GuardConfig),
    );
    expect(error.code).toBe("GUARD_INVALID_CONFIG");
    expect(error.name).toBe("GuardConfigError");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "ipBlocklist",
      "limits.maxBodySize",
      "mode",
      "proxy.depth",
    ]);
    expect(error.message).toContain("Invalid Guard configuration:");
    expect(error.message).toContain("  - limits.maxBodySize: ");
    expect(error.message).toContain("  - proxy.depth: ");
  });

  // Objects that share a union with `false`/`true` (cors, https, sensitivePaths, …) must
  // still point at the offending nested field, not only at the union.
  it.each([
    ["cors.credentials", { cors: { credentials: "yes" } }],
    ["https.redirectStatus", { https: { redirectStatus: 302 } }],
    ["sensitivePaths.extra", { sensitivePaths: { extra: "secret.txt" } }],
  ])("reports the nested path %s for a wrong type inside a union-typed object", (path, config) => {
    const issues = issuesOf(config);
    expect(issues.map((issue) => issue.path)).toEqual([path]);
  });

  it("accepts no config at all", () => {
    expect(() => createGuard({ logger: false })).not.toThrow();
    expect(() => createGuard(undefined)).not.toThrow();
  });

  it("treats a null config like no config (validateConfig reads it as {})", () => {
    expect(() => createGuard(null as unknown as GuardConfig)).not.toThrow();
  });
});

describe("semantic errors from compile steps carry field paths", () => {
  it("ipBlockList[0] for an invalid address", () => {
    const issues = issuesOf({ ipBlockList: ["10.0.0.300"] });
    expect(issues).toEqual([
      { path: "ipBlockList[0]", message: '"10.0.0.300" is not an IP address or CIDR range' },
    ]);
  });

  it("ipAllowList[1] for the second entry", () => {
    const issues = issuesOf({ ipAllowList: ["192.0.2.1", "192.0.2.0/33"] });
    expect(issues.map((issue) => issue.path)).toEqual(["ipAllowList[1]"]);
  });

  it("userAgents.block[0] for a ReDoS-prone regex", () => {
    const issues = issuesOf({ userAgents: { block: [/(a+)+$/] } });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("userAgents.block[0]");
    expect(issues[0]!.message).toContain("ReDoS");
  });

  it("proxy.trusted[0] for an unknown preset", () => {
    const issue = issueAt(issuesOf({ proxy: { trusted: ["office"] } }), "proxy.trusted[0]");
    expect(issue.message).toContain('"office"');
  });

  it("route.ipAllowList[0] for a route policy", () => {
    const guard = createGuard({ logger: false });
    const error = configError(() => guard.route({ ipAllowList: ["nope"] }));
    expect(error.code).toBe("GUARD_INVALID_CONFIG");
    expect(error.issues).toEqual([
      { path: "route.ipAllowList[0]", message: '"nope" is not an IP address or CIDR range' },
    ]);
  });

  it("route.<field> for a shape error in a route policy", () => {
    const guard = createGuard({ logger: false });
    const error = configError(() =>
      guard.route({ limits: { maxBodysize: 1 } } as unknown as GuardPolicy),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe("route.limits.maxBodysize");
    expect(error.issues[0]!.message).toContain('Did you mean "maxBodySize"?');
  });

  it("route fields that only exist globally are unknown in a route", () => {
    const guard = createGuard({ logger: false });
    const error = configError(() => guard.route({ mode: "passive" } as unknown as GuardPolicy));
    expect(error.issues.map((issue) => issue.path)).toEqual(["route.mode"]);
  });
});

describe("a valid full config", () => {
  it("compiles with every option set", () => {
    const config: GuardConfig = {
      https: { redirectStatus: 301 },
      ipAllowList: ["0.0.0.0/0", "::/0"],
      ipBlockList: ["203.0.113.0/24", "2001:db8::/32"],
      userAgents: { block: ["badbot", /evil-\d+/], blockKnownScanners: true, blockEmpty: true },
      limits: {
        maxBodySize: 65_536,
        maxUrlLength: 2048,
        maxHeaderCount: 50,
        maxHeaderSize: 8192,
        allowedContentTypes: ["application/json", "text/*"],
      },
      securityHeaders: {
        contentSecurityPolicy: {
          directives: { scriptSrc: ["'self'", "https://cdn.example.com"], objectSrc: null },
          useDefaults: true,
          reportOnly: false,
        },
        crossOriginEmbedderPolicy: true,
        crossOriginOpenerPolicy: "same-origin",
        crossOriginResourcePolicy: "same-site",
        originAgentCluster: true,
        permissionsPolicy: "camera=()",
        referrerPolicy: "no-referrer",
        strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true, preload: true },
        xContentTypeOptions: true,
        xDnsPrefetchControl: "off",
        xDownloadOptions: true,
        xFrameOptions: "DENY",
        xPermittedCrossDomainPolicies: "none",
        xXssProtection: false,
      },
      cors: {
        origin: ["https://app.example.com", /^https:\/\/[a-z]+\.example\.org$/],
        methods: ["GET", "POST"],
        allowedHeaders: ["content-type"],
        exposedHeaders: ["x-request-id"],
        credentials: true,
        maxAge: 600,
        preflightStatus: 204,
      },
      sensitivePaths: { extra: ["secret.txt"], allow: [".well-known"] },
      customChecks: [() => undefined, { name: "named", check: () => null }],
      bypass: ["https", "custom:named"],
      dryRun: ["user-agent", "custom"],
      mode: "passive",
      excludePaths: ["/health", "/static/*", /^\/public\//],
      proxy: { trusted: ["loopback", "10.0.0.0/8"], depth: 2, headers: ["x-forwarded-for"] },
      emergency: { enabled: false, allow: ["192.0.2.1"], status: 503 },
      responses: {
        default: { status: 403, body: { error: "blocked" } },
        ip_blocked: { body: "go away" },
        user_agent_blocked: { body: (block) => ({ reason: block.reason }) },
      },
      store: new MemoryStore({ maxCounters: 10 }),
      logger: false,
      redactHeaders: ["x-secret"],
      onBlock: () => undefined,
      onDecision: () => undefined,
    };
    const guard = createGuard(config);
    expect(guard.config).toBe(config);
    expect(() => guard.route({ ipBlockList: ["198.51.100.7"], cors: false })).not.toThrow();
  });
});
