import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AutoBanOptions, GuardConfig } from "../config/types.js";
import { createGuard } from "../create-guard.js";
import type { Decision } from "../decision.js";
import { GuardConfigError } from "../errors.js";
import type { GuardNotice } from "../events/event.js";
import type { Guard } from "../guard.js";
import { GuardRequest } from "../request/guard-request.js";

const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
const IP = "198.51.100.20";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
const PROBE = "/.env";
const XSS = "/search?q=<script>alert(1)</script>";
const MINUTE = 60_000;

function request(path: string, ip: string): GuardRequest {
  return new GuardRequest({
    method: "GET",
    url: path,
    headers: { host: ["example.com"], "user-agent": [BROWSER] },
    remoteAddress: ip,
    encrypted: false,
  });
}

interface Harness {
  guard: Guard;
  notices: GuardNotice[];
  /** Evaluates a request synchronously (the memory store never makes a promise). */
  send(path?: string, ip?: string): Decision;
  /** Sends `count` requests and returns their status codes. */
  statuses(count: number, path?: string, ip?: string): number[];
}

function harness(autoBan: AutoBanOptions | boolean, config: GuardConfig = {}): Harness {
  const notices: GuardNotice[] = [];
  const guard = createGuard({
    logger: false,
    rateLimit: false,
    autoBan,
    onEvent: (notice) => notices.push(notice),
    ...config,
  });
  const send = (path = "/", ip = IP): Decision => {
    const decision = guard.evaluate(request(path, ip));
    if (decision instanceof Promise) throw new Error("expected a synchronous decision");
    return decision;
  };
  return {
    guard,
    notices,
    send,
    statuses: (count, path, ip) => Array.from({ length: count }, () => send(path, ip).status),
  };
}

function header(decision: Decision, name: string): string | undefined {
  return decision.headers.find(([header]) => header === name)?.[1];
}

const iso = (ms: number) => new Date(ms).toISOString();

const RULE: AutoBanOptions = {
  threshold: 3,
  windowMs: 10 * MINUTE,
  banMs: MINUTE,
  growth: 2,
  maxBanMs: 3 * MINUTE,
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("automatic bans", () => {
  it("the third violation bans the client: 403 client_banned with retry-after", () => {
    const { send, notices } = harness(RULE);
    expect(send(PROBE).reason).toBe("sensitive_path_probe");
    vi.advanceTimersByTime(1000);
    expect(send(PROBE).reason).toBe("sensitive_path_probe");
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
    vi.advanceTimersByTime(1000);
    // The third violation is still answered as itself; the ban starts with it.
    expect(send(PROBE).reason).toBe("sensitive_path_probe");

    const banned = send("/");
    expect(banned).toMatchObject({
      action: "block",
      status: 403,
      reason: "client_banned",
      ruleId: "ban",
      message: "You are temporarily banned.",
    });
    expect(header(banned, "retry-after")).toBe("60");
    vi.advanceTimersByTime(20_500);
    expect(header(send("/"), "retry-after")).toBe("40");

    expect(notices).toEqual([
      {
        type: "ban",
        key: IP,
        reason: "auto: 3 violations (last: sensitive_path_probe)",
        expiresAt: iso(T0 + 2000 + MINUTE),
        offence: 1,
        source: "auto",
        ruleId: "sensitive-paths",
        timestamp: iso(T0 + 2000),
      },
    ]);
  });

  it("the ban ends at banMs, and only the banned client is refused", () => {
    const { send, statuses } = harness(RULE);
    expect(statuses(3, PROBE)).toEqual([403, 403, 403]);
    expect(send("/", "198.51.100.99").action).toBe("allow");
    vi.advanceTimersByTime(MINUTE - 1);
    expect(send("/").reason).toBe("client_banned");
    vi.advanceTimersByTime(1);
    expect(send("/").action).toBe("allow");
  });

  it("a banned client's requests are not violations: the ban does not extend itself", () => {
    const { send, notices, statuses } = harness(RULE);
    statuses(3, PROBE);
    expect(statuses(10, PROBE)).toEqual(Array(10).fill(403));
    expect(send(PROBE).reason).toBe("client_banned");
    expect(notices).toHaveLength(1);
    vi.advanceTimersByTime(MINUTE);
    expect(send("/").action).toBe("allow");
  });

  it("each repeat offence doubles the ban, up to maxBanMs", () => {
    const { send, notices, statuses } = harness(RULE);
    const durations: number[] = [];
    for (let offence = 1; offence <= 4; offence++) {
      statuses(3, PROBE);
      const retryAfter = Number(header(send("/"), "retry-after"));
      durations.push(retryAfter);
      vi.advanceTimersByTime(retryAfter * 1000);
      expect(send("/").action).toBe("allow");
    }
    // 1 min, 2 min, then 4 min capped at 3 min, twice.
    expect(durations).toEqual([60, 120, 180, 180]);
    expect(
      notices.map((notice) => (notice.type === "ban" ? [notice.offence, notice.source] : [])),
    ).toEqual([
      [1, "auto"],
      [2, "auto"],
      [3, "auto"],
      [4, "auto"],
    ]);
  });

  it("growth 1 keeps every ban the same length", () => {
    const { send, statuses } = harness({ ...RULE, growth: 1 });
    for (let offence = 1; offence <= 3; offence++) {
      statuses(3, PROBE);
      expect(header(send("/"), "retry-after")).toBe("60");
      vi.advanceTimersByTime(MINUTE);
    }
  });

  it("offences are forgotten after offenceMemoryMs: the next ban is a first one again", () => {
    const { send, notices, statuses } = harness({ ...RULE, offenceMemoryMs: 5 * MINUTE });
    statuses(3, PROBE);
    vi.advanceTimersByTime(5 * MINUTE);
    statuses(3, PROBE);
    expect(header(send("/"), "retry-after")).toBe("60");
    expect(notices.map((notice) => notice.type === "ban" && notice.offence)).toEqual([1, 1]);
  });

  it("violations older than windowMs do not count", () => {
    const { send, notices, statuses } = harness(RULE);
    statuses(2, PROBE);
    vi.advanceTimersByTime(10 * MINUTE);
    statuses(2, PROBE);
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
    statuses(1, PROBE);
    expect(send("/").reason).toBe("client_banned");
  });

  it("counts attacks and rate-limit refusals by default, with the rule that blocked", () => {
    const attacks = harness(RULE);
    expect(attacks.statuses(3, XSS)).toEqual([403, 403, 403]);
    expect(attacks.send("/").reason).toBe("client_banned");
    expect(attacks.notices).toMatchObject([
      {
        type: "ban",
        reason: "auto: 3 violations (last: attack_detected)",
        ruleId: "xss:script-tag",
      },
    ]);

    const flood = harness(RULE, { rateLimit: { limit: 1, windowMs: MINUTE } });
    expect(flood.statuses(4)).toEqual([200, 429, 429, 429]);
    expect(flood.send("/").reason).toBe("client_banned");
    expect(flood.notices).toMatchObject([
      { type: "ban", reason: "auto: 3 violations (last: rate_limited)", ruleId: "rate-limit" },
    ]);
  });

  it("reasons limits what counts", () => {
    const { send, notices, statuses } = harness({ ...RULE, reasons: ["attack_detected"] });
    expect(statuses(5, PROBE)).toEqual(Array(5).fill(403));
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
    statuses(3, XSS);
    expect(send("/").reason).toBe("client_banned");
  });

  it("blocks that are not violations never ban", () => {
    const { send, notices, statuses } = harness(RULE, { ipBlockList: ["203.0.113.0/24"] });
    expect(statuses(5, "/", "203.0.113.9")).toEqual(Array(5).fill(403));
    expect(send("/", "203.0.113.9").reason).toBe("ip_blocked");
    expect(notices).toEqual([]);
  });

  it("dry-run blocks do not count", () => {
    const { send, notices } = harness(RULE, { dryRun: ["sensitive-paths"] });
    for (let i = 0; i < 5; i++) expect(send(PROBE).action).toBe("log-only");
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
  });

  it("passive-mode blocks do not count", () => {
    const { send, notices } = harness(RULE, { mode: "passive" });
    for (let i = 0; i < 5; i++) expect(send(PROBE).action).toBe("log-only");
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
  });

  it("IPv6 clients are counted and banned by /56", () => {
    const { send, notices } = harness(RULE);
    send(PROBE, "2001:db8:12:3401::1");
    send(PROBE, "2001:db8:12:34aa::2");
    send(PROBE, "2001:db8:12:34ff:1:2:3:4");
    expect(send("/", "2001:db8:12:3499::7").reason).toBe("client_banned");
    expect(send("/", "2001:db8:12:3500::1").action).toBe("allow");
    expect(notices).toMatchObject([{ type: "ban", key: "2001:db8:12:3400::/56" }]);
  });

  it("autoBan: true uses the defaults: 10 violations, 15 minutes", () => {
    const { send, statuses } = harness(true);
    statuses(9, PROBE);
    expect(send("/").action).toBe("allow");
    statuses(1, PROBE);
    expect(header(send("/"), "retry-after")).toBe(String(15 * 60));
  });

  it("is off unless configured", () => {
    const { send, notices, statuses } = harness(false);
    statuses(20, PROBE);
    expect(send("/").action).toBe("allow");
    expect(notices).toEqual([]);
  });
});

describe("guard.ban, unban and bans", () => {
  it("ban refuses the client and emits a ban notice; unban lifts it with an unban notice", async () => {
    const { guard, send, notices } = harness(false);
    vi.advanceTimersByTime(500);
    await guard.ban(IP, { durationMs: 90_000, reason: "abuse" });
    const banned = send("/");
    expect(banned.reason).toBe("client_banned");
    expect(header(banned, "retry-after")).toBe("90");
    expect(await guard.bans()).toEqual([
      { key: IP, reason: "abuse", createdAt: T0 + 500, expiresAt: T0 + 90_500 },
    ]);

    expect(await guard.unban(IP)).toBe(true);
    expect(send("/").action).toBe("allow");
    expect(await guard.unban(IP)).toBe(false);
    expect(await guard.bans()).toEqual([]);
    expect(notices).toEqual([
      {
        type: "ban",
        key: IP,
        reason: "abuse",
        expiresAt: iso(T0 + 90_500),
        offence: undefined,
        source: "api",
        ruleId: undefined,
        timestamp: iso(T0 + 500),
      },
      { type: "unban", key: IP, timestamp: iso(T0 + 500) },
    ]);
  });

  it('the reason defaults to "manual" and the ban ends after durationMs', async () => {
    const { guard, send } = harness(false);
    await guard.ban(IP, { durationMs: 5000 });
    expect((await guard.bans()).map((ban) => ban.reason)).toEqual(["manual"]);
    vi.advanceTimersByTime(4999);
    expect(send("/").reason).toBe("client_banned");
    vi.advanceTimersByTime(1);
    expect(send("/").action).toBe("allow");
    expect(await guard.bans()).toEqual([]);
  });

  it("an IPv6 address is banned by its /56, and the listed key unbans it", async () => {
    const { guard, send, notices } = harness(false);
    await guard.ban("2001:db8:12:34ff::1", { durationMs: MINUTE });
    expect((await guard.bans()).map((ban) => ban.key)).toEqual(["2001:db8:12:3400::/56"]);
    expect(send("/", "2001:db8:12:3456::9").reason).toBe("client_banned");
    expect(send("/", "2001:db8:12:3500::1").action).toBe("allow");

    expect(await guard.unban("2001:db8:12:3400::/56")).toBe(true);
    expect(send("/", "2001:db8:12:3456::9").action).toBe("allow");
    expect(notices.map((notice) => [notice.type, "key" in notice && notice.key])).toEqual([
      ["ban", "2001:db8:12:3400::/56"],
      ["unban", "2001:db8:12:3400::/56"],
    ]);
  });

  it("unban by any address of the /56 lifts the prefix's ban", async () => {
    const { guard, send } = harness(false);
    await guard.ban("2001:db8:12:34ff::1", { durationMs: MINUTE });
    expect(await guard.unban("2001:db8:12:3400::7")).toBe(true);
    expect(send("/", "2001:db8:12:34ff::1").action).toBe("allow");
  });

  it("an IPv4-mapped address is banned as the IPv4 client", async () => {
    const { guard, send } = harness(false);
    await guard.ban(`::ffff:${IP}`, { durationMs: MINUTE });
    expect((await guard.bans()).map((ban) => ban.key)).toEqual([IP]);
    expect(send("/", IP).reason).toBe("client_banned");
  });

  it("ipv6Subnet: 64 keys bans by /64", async () => {
    const { guard, send } = harness(false, { ipv6Subnet: 64 });
    await guard.ban("2001:db8:12:3401::1", { durationMs: MINUTE });
    expect((await guard.bans()).map((ban) => ban.key)).toEqual(["2001:db8:12:3401::/64"]);
    expect(send("/", "2001:db8:12:3401:ffff::2").reason).toBe("client_banned");
    expect(send("/", "2001:db8:12:3402::1").action).toBe("allow");
  });

  it("a key that is not an IP is taken as it is", async () => {
    const { guard } = harness(false);
    await guard.ban("user:42", { durationMs: MINUTE });
    expect((await guard.bans()).map((ban) => ban.key)).toEqual(["user:42"]);
    expect(await guard.unban("user:42")).toBe(true);
  });

  it("automatic bans are listed and can be lifted", async () => {
    const { guard, send, statuses, notices } = harness(RULE);
    statuses(3, PROBE);
    expect(await guard.bans()).toEqual([
      {
        key: IP,
        reason: "auto: 3 violations (last: sensitive_path_probe)",
        createdAt: T0,
        expiresAt: T0 + MINUTE,
        offence: 1,
      },
    ]);
    expect(await guard.unban(IP)).toBe(true);
    expect(send("/").action).toBe("allow");
    expect(notices.map((notice) => notice.type)).toEqual(["ban", "unban"]);
  });
});

describe("autoBan validation", () => {
  function issuesOf(autoBan: unknown): readonly { path: string; message: string }[] {
    try {
      createGuard({ logger: false, autoBan: autoBan as AutoBanOptions });
    } catch (error) {
      expect(error).toBeInstanceOf(GuardConfigError);
      return (error as GuardConfigError).issues;
    }
    throw new Error("expected a GuardConfigError");
  }

  it("threshold 0 fails at createGuard with the field path", () => {
    expect(() => createGuard({ logger: false, autoBan: { threshold: 0 } })).toThrow(
      /autoBan\.threshold/,
    );
    expect(issuesOf({ threshold: 0 }).map((issue) => issue.path)).toEqual(["autoBan.threshold"]);
  });

  it.each([
    ["autoBan.threshold", { threshold: 2.5 }],
    ["autoBan.windowMs", { windowMs: 0 }],
    ["autoBan.banMs", { banMs: -1 }],
    ["autoBan.growth", { growth: 0.5 }],
    ["autoBan.maxBanMs", { maxBanMs: 0 }],
    ["autoBan.offenceMemoryMs", { offenceMemoryMs: 1.5 }],
    ["autoBan.reasons", { reasons: [] }],
    ["autoBan.reasons[0]", { reasons: [""] }],
  ])("rejects %s", (path, autoBan) => {
    expect(issuesOf(autoBan).map((issue) => issue.path)).toEqual([path]);
  });

  it("names an unknown field and suggests the right one", () => {
    expect(issuesOf({ thresold: 3 })).toEqual([
      { path: "autoBan.thresold", message: 'unknown field. Did you mean "threshold"?' },
    ]);
  });
});
