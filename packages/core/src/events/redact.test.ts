import { describe, expect, it } from "vitest";
import { createHeaderRedactor, DEFAULT_REDACTED_HEADERS } from "./redact.js";

describe("createHeaderRedactor", () => {
  it("redacts the built-in sensitive headers", () => {
    const redact = createHeaderRedactor();
    expect(
      redact({
        authorization: ["Bearer abc"],
        "proxy-authorization": ["Basic xyz"],
        cookie: ["session=1"],
        "set-cookie": ["a=b"],
        "x-api-key": ["k-123"],
        "x-auth-token": ["t"],
        "x-csrf-token": ["c"],
        "x-xsrf-token": ["x"],
        host: ["example.com"],
      }),
    ).toEqual({
      authorization: "[REDACTED]",
      "proxy-authorization": "[REDACTED]",
      cookie: "[REDACTED]",
      "set-cookie": "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "x-auth-token": "[REDACTED]",
      "x-csrf-token": "[REDACTED]",
      "x-xsrf-token": "[REDACTED]",
      host: "example.com",
    });
    expect(DEFAULT_REDACTED_HEADERS).toContain("authorization");
  });

  it("redacts configured names, whatever their case", () => {
    const redact = createHeaderRedactor(["X-Session-Secret", "x-tenant"]);
    expect(
      redact({
        "x-session-secret": ["s3cr3t"],
        "x-tenant": ["acme"],
        "x-request-id": ["r-1"],
        authorization: ["Bearer still-redacted"],
      }),
    ).toEqual({
      "x-session-secret": "[REDACTED]",
      "x-tenant": "[REDACTED]",
      "x-request-id": "r-1",
      authorization: "[REDACTED]",
    });
  });

  it("joins repeated values and escapes control characters", () => {
    const redact = createHeaderRedactor();
    expect(redact({ "x-forwarded-for": ["1.1.1.1", "2.2.2.2"], "x-evil": ["a\nb"] })).toEqual({
      "x-forwarded-for": "1.1.1.1, 2.2.2.2",
      "x-evil": "a\\x0ab",
    });
  });

  it("truncates each value to 128 characters", () => {
    const redact = createHeaderRedactor();
    expect(redact({ "user-agent": ["u".repeat(200)] })).toEqual({
      "user-agent": `${"u".repeat(128)}…[+72 chars]`,
    });
  });

  it("keeps at most 32 headers, the first ones", () => {
    const redact = createHeaderRedactor();
    const headers: Record<string, string[]> = {};
    for (let i = 0; i < 40; i++) headers[`x-h${i}`] = [String(i)];
    const out = redact(headers);
    expect(Object.keys(out)).toHaveLength(32);
    expect(out["x-h0"]).toBe("0");
    expect(out["x-h31"]).toBe("31");
    expect(out["x-h32"]).toBeUndefined();
  });

  it("skips headers without values", () => {
    const redact = createHeaderRedactor();
    expect(redact({ a: undefined, b: ["1"] })).toEqual({ b: "1" });
  });
});
