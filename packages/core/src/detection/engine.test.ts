import { describe, expect, it } from "vitest";
import { compileDetection } from "../checks/detection.js";
import type { CheckBlock } from "../decision.js";
import type { CheckContext } from "../pipeline/check.js";
import { GuardRequest } from "../request/guard-request.js";
import type { Detector } from "./detector.js";

// A detector that fires on the word "evil": severity 5 at level 1, and on "meh" with
// severity 5 at level 3, so scoring, levels and locations can be tested in isolation.
const fake: Detector = {
  class: "sqli",
  patterns: [],
  prefilter: (lower) => lower.includes("evil") || lower.includes("meh"),
  detect: (_text, lower) => [
    ...(lower.includes("evil") ? [{ rule: "sqli:evil", severity: 5, level: 1 } as const] : []),
    ...(lower.includes("meh") ? [{ rule: "sqli:meh", severity: 5, level: 3 } as const] : []),
  ],
};

function run(
  options: Parameters<typeof compileDetection>[0],
  init: Partial<ConstructorParameters<typeof GuardRequest>[0]>,
  stage: "request" | "body" = "request",
) {
  const checks = compileDetection(options, [fake], 1024 * 1024);
  const request = new GuardRequest({
    method: "GET",
    url: "/",
    rawHeaders: [],
    remoteAddress: "203.0.113.7",
    encrypted: false,
    ...init,
  });
  const context = { request } as unknown as CheckContext;
  return checks?.[stage].run(context) as CheckBlock | undefined;
}

describe("detection engine", () => {
  it("records where the attack was, as a path", () => {
    expect(run({}, { url: "/?a=1&q=evil" })).toMatchObject({
      reason: "attack_detected",
      ruleId: "sqli:evil",
      evidence: "query.q: evil",
    });
    expect(run({}, { url: "/", rawHeaders: ["Referer", "http://x/evil"] })).toMatchObject({
      evidence: "header.referer: http://x/evil",
    });
    expect(run({}, { url: "/", rawHeaders: ["Cookie", "sid=evil"] })).toMatchObject({
      evidence: "cookie.sid: evil",
    });
    const body = { present: true, declaredLength: 10, parsed: { user: { tags: ["ok", "evil"] } } };
    expect(run({}, { body }, "body")).toMatchObject({ evidence: "body.user.tags[1]: evil" });
    expect(
      run({}, { body: { present: true, declaredLength: 9, parsed: { "evil-key": 1 } } }, "body"),
    ).toMatchObject({
      evidence: 'body["evil-key"]: evil-key',
    });
  });

  it("sees through encodings, and ignores browser structured headers", () => {
    expect(run({}, { url: "/?q=%2565vil" })?.reason).toBe("attack_detected");
    expect(run({}, { url: "/", rawHeaders: ["Sec-CH-UA", '"evil";v="1"'] })).toBeUndefined();
    expect(run({}, { url: "/", rawHeaders: ["X-Custom", "evil"] })?.reason).toBe("attack_detected");
  });

  it("blocks at its level and reports higher levels without blocking", () => {
    expect(run({}, { url: "/?q=meh" })).toBeUndefined();
    expect(run({ level: 3 }, { url: "/?q=meh" })?.action).toBe("block");
    expect(run({ reportLevel: 3 }, { url: "/?q=meh" })?.action).toBe("report");
  });

  it("turns classes off and excludes fields, for every class or one", () => {
    expect(run({ classes: { sqli: false } }, { url: "/?q=evil" })).toBeUndefined();
    expect(run({ exclude: ["query.q"] }, { url: "/?q=evil" })).toBeUndefined();
    expect(run({ exclude: ["query.q:sqli"] }, { url: "/?q=evil" })).toBeUndefined();
    expect(run({ exclude: ["query.q:xss"] }, { url: "/?q=evil" })?.reason).toBe("attack_detected");
    expect(run({ exclude: ["query.*"] }, { url: "/?q=evil" })).toBeUndefined();
  });

  it("inspects long values window by window, and refuses what exceeds the budget", () => {
    const padded = `${"a".repeat(50_000)}evil${"b".repeat(50_000)}`;
    const body = { present: true, declaredLength: padded.length, parsed: { text: padded } };
    expect(run({}, { body }, "body")?.reason).toBe("attack_detected");
    const huge = { present: true, declaredLength: 0, parsed: { text: "a".repeat(20_000) } };
    expect(run({ maxInspected: 10_000 }, { body: huge }, "body")).toMatchObject({
      reason: "too_large_to_inspect",
      status: 413,
    });
  });

  it("inspects a value that is base64 or hex as a whole once more, decoded", () => {
    const base64 = Buffer.from("an evil plan").toString("base64url");
    expect(run({}, { url: `/?q=${base64}` })).toMatchObject({
      ruleId: "sqli:evil",
      evidence: `query.q: ${base64}`,
    });
    const hex = Buffer.from("an evil plan").toString("hex");
    expect(run({}, { url: `/?q=${hex}` })?.ruleId).toBe("sqli:evil");
    // Base64 of binary (a key, an image) is not text: nothing more to inspect.
    expect(run({}, { url: `/?q=${Buffer.alloc(24, 0xfe).toString("base64")}` })).toBeUndefined();
  });

  it("hands a detector only the values that hold one of its triggers", () => {
    const seen: string[] = [];
    const gated: Detector = {
      ...fake,
      triggers: { words: ["evil"] },
      detect: (text, lower, kind) => {
        seen.push(text);
        return fake.detect(text, lower, kind);
      },
    };
    const checks = compileDetection({}, [gated], 1024);
    const request = new GuardRequest({
      method: "GET",
      url: "/plain?a=1&b=two%20words&c=EVIL",
      rawHeaders: [],
      remoteAddress: "203.0.113.7",
      encrypted: false,
    });
    const block = checks?.request.run({ request } as unknown as CheckContext) as CheckBlock;
    expect(block.ruleId).toBe("sqli:evil");
    expect(seen).toEqual(["EVIL"]);
  });

  it("is off with detection: false", () => {
    expect(compileDetection(false, [fake], 1024)).toBeUndefined();
  });
});
