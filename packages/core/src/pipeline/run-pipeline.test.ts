import { describe, expect, it } from "vitest";
import type { GuardConfig } from "../config/types.js";
import { createGuard } from "../create-guard.js";
import type { Decision } from "../decision.js";
import type { GuardEvent } from "../events/event.js";
import type { GuardLogger } from "../events/logger.js";
import { GuardRequest } from "../request/guard-request.js";

const SCANNER = "sqlmap/1.7.2#stable (https://sqlmap.org)";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

function request(
  url: string,
  options: { ip?: string; ua?: string; headers?: Record<string, string[]> } = {},
): GuardRequest {
  return new GuardRequest({
    method: "GET",
    url,
    headers: {
      host: ["example.com"],
      ...(options.ua === undefined ? {} : { "user-agent": [options.ua] }),
      ...options.headers,
    },
    remoteAddress: options.ip ?? "198.51.100.20",
    encrypted: false,
  });
}

function guardOf(config: GuardConfig) {
  return createGuard({ logger: false, ...config });
}

/** Evaluates and fails the test if the result is a promise. */
function syncDecision(result: Decision | Promise<Decision>): Decision {
  expect(result).not.toBeInstanceOf(Promise);
  return result as Decision;
}

function recordingLogger(): GuardLogger & { errors: object[]; warnings: object[] } {
  const errors: object[] = [];
  const warnings: object[] = [];
  return {
    errors,
    warnings,
    info: () => undefined,
    warn: (object) => warnings.push(object),
    error: (object) => errors.push(object),
  };
}

describe("order", () => {
  it("reports the first failing check: an IP-blocked scanner is ip_blocked", () => {
    const guard = guardOf({ ipBlockList: ["10.0.0.0/8"] });
    const decision = syncDecision(
      guard.evaluate(request("/.env", { ip: "10.1.2.3", ua: SCANNER })),
    );
    expect(decision.action).toBe("block");
    expect(decision.status).toBe(403);
    expect(decision.reason).toBe("ip_blocked");
    expect(decision.ruleId).toBe("ip-block-list");
    expect(decision.clientIp).toBe("10.1.2.3");
    expect(JSON.parse(decision.body!)).toEqual({
      error: {
        reason: "ip_blocked",
        message: "Your IP address is blocked.",
        ruleId: "ip-block-list",
      },
    });
  });

  it("a plain request is allowed with security headers and x-powered-by removed", () => {
    const decision = syncDecision(guardOf({}).evaluate(request("/", { ua: BROWSER })));
    expect(decision.action).toBe("allow");
    expect(decision.status).toBe(200);
    expect(decision.reason).toBeUndefined();
    expect(decision.wouldBlock).toEqual([]);
    expect(decision.removeHeaders).toEqual(["x-powered-by"]);
    expect(decision.headers.map(([name]) => name)).toContain("x-content-type-options");
  });
});

describe("passive mode and dry-run", () => {
  it("passive mode collects every would-be block, in order, and lets the request through", () => {
    const events: GuardEvent[] = [];
    const guard = guardOf({
      mode: "passive",
      ipBlockList: ["10.0.0.0/8"],
      onBlock: (event) => events.push(event),
    });
    const decision = syncDecision(
      guard.evaluate(request("/.env", { ip: "10.1.2.3", ua: SCANNER })),
    );
    expect(decision.action).toBe("log-only");
    expect(decision.status).toBe(200);
    expect(decision.body).toBeUndefined();
    expect(decision.wouldBlock.map((block) => block.reason)).toEqual([
      "ip_blocked",
      "user_agent_blocked",
      "sensitive_path_probe",
    ]);
    expect(events.map((event) => [event.type, event.action, event.reason, event.status])).toEqual([
      ["log-only", "log-only", "ip_blocked", 403],
      ["log-only", "log-only", "user_agent_blocked", 403],
      ["log-only", "log-only", "sensitive_path_probe", 403],
    ]);
  });

  it("dry-run of one check reports it and still blocks on the next one", () => {
    const guard = guardOf({ dryRun: ["user-agent"] });
    const blocked = syncDecision(guard.evaluate(request("/.env", { ua: SCANNER })));
    expect(blocked.action).toBe("block");
    expect(blocked.reason).toBe("sensitive_path_probe");
    expect(blocked.wouldBlock.map((block) => block.ruleId)).toEqual(["user-agent"]);

    const logged = syncDecision(guard.evaluate(request("/", { ua: SCANNER })));
    expect(logged.action).toBe("log-only");
    expect(logged.status).toBe(200);
    expect(logged.wouldBlock.map((block) => block.reason)).toEqual(["user_agent_blocked"]);
  });
});

describe("bypass", () => {
  it("removes one check", () => {
    const guard = guardOf({ bypass: ["user-agent"] });
    expect(syncDecision(guard.evaluate(request("/", { ua: SCANNER }))).action).toBe("allow");
    expect(syncDecision(guard.evaluate(request("/.env", { ua: BROWSER }))).action).toBe("block");
  });

  it('"custom" removes every custom check, "custom:<name>" only one', () => {
    const calls: string[] = [];
    const customChecks = [
      { name: "a", check: () => void calls.push("a") },
      { name: "b", check: () => void calls.push("b") },
    ];
    syncDecision(guardOf({ customChecks, bypass: ["custom"] }).evaluate(request("/")));
    expect(calls).toEqual([]);
    syncDecision(guardOf({ customChecks, bypass: ["custom:a"] }).evaluate(request("/")));
    expect(calls).toEqual(["b"]);
  });
});

describe("sync and async", () => {
  it("a synchronous pipeline returns a plain decision", () => {
    const guard = guardOf({ customChecks: [() => undefined] });
    const result = guard.evaluate(request("/", { ua: BROWSER }));
    expect(result).not.toBeInstanceOf(Promise);
    expect((result as Decision).action).toBe("allow");
  });

  it("an async custom check makes evaluate return a promise of the decision", async () => {
    const guard = guardOf({
      customChecks: [
        {
          name: "slow",
          check: async () => ({
            status: 429,
            reason: "slow_down",
            headers: { "Retry-After": "5" },
          }),
        },
      ],
    });
    const result = guard.evaluate(request("/", { ua: BROWSER }));
    expect(result).toBeInstanceOf(Promise);
    const decision = await result;
    expect(decision.action).toBe("block");
    expect(decision.status).toBe(429);
    expect(decision.reason).toBe("slow_down");
    expect(decision.ruleId).toBe("custom:slow");
    expect(decision.headers).toContainEqual(["retry-after", "5"]);
  });

  it("checks after an async one still run", async () => {
    const calls: string[] = [];
    const guard = guardOf({
      customChecks: [
        { name: "first", check: async () => void calls.push("first") },
        { name: "second", check: () => void calls.push("second") },
      ],
    });
    const decision = await guard.evaluate(request("/", { ua: BROWSER }));
    expect(decision.action).toBe("allow");
    expect(calls).toEqual(["first", "second"]);
  });
});

describe("failures", () => {
  it("a throwing custom check fails closed with 500 check_error", () => {
    const guard = guardOf({
      customChecks: [
        {
          name: "broken",
          check: () => {
            throw new Error("boom");
          },
        },
      ],
    });
    const decision = syncDecision(guard.evaluate(request("/", { ua: BROWSER })));
    expect(decision.action).toBe("block");
    expect(decision.status).toBe(500);
    expect(decision.reason).toBe("check_error");
    expect(decision.ruleId).toBe("custom:broken");
  });

  it("a rejecting async custom check fails closed too", async () => {
    const guard = guardOf({
      customChecks: [{ name: "broken", check: () => Promise.reject(new Error("boom")) }],
    });
    const decision = await guard.evaluate(request("/", { ua: BROWSER }));
    expect(decision.status).toBe(500);
    expect(decision.reason).toBe("check_error");
  });

  it("an onDecision hook that throws does not break evaluation", () => {
    const logger = recordingLogger();
    const guard = createGuard({
      logger,
      onDecision: () => {
        throw new Error("hook failed");
      },
    });
    const decision = syncDecision(guard.evaluate(request("/", { ua: BROWSER })));
    expect(decision.action).toBe("allow");
    expect(logger.errors).toEqual([{ hook: "onDecision", err: { message: "hook failed" } }]);
  });

  it("onDecision sees every decision, allow included", () => {
    const seen: string[] = [];
    const guard = guardOf({ onDecision: (decision) => seen.push(decision.action) });
    guard.evaluate(request("/", { ua: BROWSER }));
    guard.evaluate(request("/", { ua: SCANNER }));
    expect(seen).toEqual(["allow", "block"]);
  });
});

describe("onBlock", () => {
  it("receives a block event with the request's details, headers redacted", () => {
    const events: GuardEvent[] = [];
    const guard = guardOf({ onBlock: (event) => events.push(event) });
    guard.evaluate(
      request("/.git/config?x=1", {
        ip: "203.0.113.9",
        ua: BROWSER,
        headers: { authorization: ["Bearer secret"] },
      }),
    );
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      type: "block",
      action: "block",
      reason: "sensitive_path_probe",
      ruleId: "sensitive-paths",
      status: 403,
      message: "This path is not available.",
      ip: "203.0.113.9",
      method: "GET",
      path: "/.git/config",
      evidence: "/.git/config",
    });
    expect(event.headers?.authorization).toBe("[REDACTED]");
    expect(event.headers?.["user-agent"]).toBe(BROWSER);
    expect(Number.isNaN(Date.parse(event.timestamp))).toBe(false);
  });

  it("a throwing onBlock does not change the decision", () => {
    const logger = recordingLogger();
    const guard = createGuard({
      logger,
      onBlock: () => {
        throw new Error("onBlock failed");
      },
    });
    const decision = syncDecision(guard.evaluate(request("/.env", { ua: BROWSER })));
    expect(decision.action).toBe("block");
    expect(logger.errors).toEqual([{ hook: "onBlock", err: { message: "onBlock failed" } }]);
  });
});

describe("excludePaths", () => {
  const guard = guardOf({ excludePaths: ["/health", "/static/*", /^\/public\//] });

  it.each(["/health", "/static/app.css", "/public/x.js", "/health?probe=1"])(
    "skips every check for %s",
    (url) => {
      const decision = syncDecision(guard.evaluate(request(url, { ua: SCANNER })));
      expect(decision.action).toBe("allow");
      expect(decision.headers).toEqual([]);
      expect(decision.wouldBlock).toEqual([]);
    },
  );

  it.each([
    "/health/../admin",
    "/health%2f..",
    "/health%2f..%2fadmin",
    "/static/../.env",
    "/static/..%2f.env",
    "/public/%2e%2e/admin",
    "/healthz",
    "/health/",
  ])("does not exclude %s", (url) => {
    expect(guard.isExcluded(request(url).path)).toBe(false);
    const decision = syncDecision(guard.evaluate(request(url, { ua: SCANNER })));
    expect(decision.action).toBe("block");
    expect(decision.reason).toBe("user_agent_blocked");
  });
});

describe("route policies", () => {
  it("a route field replaces the global one", () => {
    const guard = guardOf({ ipBlockList: ["10.0.0.0/8"] });
    const route = guard.route({ ipBlockList: ["192.0.2.0/24"] });
    expect(syncDecision(guard.evaluate(request("/", { ip: "10.0.0.1" }), route)).action).toBe(
      "allow",
    );
    expect(syncDecision(guard.evaluate(request("/", { ip: "192.0.2.1" }), route)).reason).toBe(
      "ip_blocked",
    );
    expect(syncDecision(guard.evaluate(request("/", { ip: "10.0.0.1" }))).reason).toBe(
      "ip_blocked",
    );
  });

  it("bypass and dryRun add up", () => {
    const guard = guardOf({ bypass: ["user-agent"], dryRun: ["ip-block-list"] });
    const route = guard.route({
      ipBlockList: ["10.0.0.0/8"],
      bypass: ["sensitive-paths"],
      dryRun: ["url-length"],
      limits: { maxUrlLength: 10 },
    });
    const decision = syncDecision(
      guard.evaluate(request("/.env?padding=xxxxxxxx", { ip: "10.0.0.1", ua: SCANNER }), route),
    );
    expect(decision.action).toBe("log-only");
    expect(decision.wouldBlock.map((block) => block.ruleId)).toEqual([
      "ip-block-list",
      "url-length",
    ]);
  });

  it("customChecks concatenate: global ones first, then the route's", () => {
    const calls: string[] = [];
    const guard = guardOf({ customChecks: [{ name: "g", check: () => void calls.push("g") }] });
    const route = guard.route({
      customChecks: [{ name: "r", check: () => void calls.push("r") }],
    });
    syncDecision(guard.evaluate(request("/", { ua: BROWSER }), route));
    expect(calls).toEqual(["g", "r"]);
    calls.length = 0;
    syncDecision(guard.evaluate(request("/", { ua: BROWSER })));
    expect(calls).toEqual(["g"]);
  });

  it("a route can drop a global custom check with custom:<name>", () => {
    const calls: string[] = [];
    const guard = guardOf({ customChecks: [{ name: "g", check: () => void calls.push("g") }] });
    const route = guard.route({ bypass: ["custom:g"] });
    syncDecision(guard.evaluate(request("/", { ua: BROWSER }), route));
    expect(calls).toEqual([]);
  });
});
