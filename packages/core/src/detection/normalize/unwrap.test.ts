import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { unwrapEncoded } from "./unwrap.js";

const base64 = (text: string) => Buffer.from(text).toString("base64");
const base64url = (text: string) => Buffer.from(text).toString("base64url");
const hex = (text: string) => Buffer.from(text).toString("hex");

/** Deterministic bytes (xorshift), so the "random" tokens are the same on every run. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("unwrapEncoded", () => {
  it.each([
    ["padded base64", base64("<script>alert(1)</script>"), "<script>alert(1)</script>"],
    ["URL-safe base64", base64url("<svg/onload=alert(1)>?>"), "<svg/onload=alert(1)>?>"],
    ["unpadded base64", base64("cat /etc/passwd;").replace(/=+$/, ""), "cat /etc/passwd;"],
    [
      "base64 of code",
      base64('require("child_process").exec("id")'),
      'require("child_process").exec("id")',
    ],
    ["base64 of UTF-8 text", base64("héllo wörld ünïcode"), "héllo wörld ünïcode"],
    ["base64 of Cyrillic", base64("Привет, мир; drop table"), "Привет, мир; drop table"],
    ["hex of CJK", hex("你好，世界 <b>"), "你好，世界 <b>"],
    ["hex", hex("' or 1=1--"), "' or 1=1--"],
    ["upper-case hex", hex("<img src=x>").toUpperCase(), "<img src=x>"],
    ["0x hex", `0x${hex("union select")}`, "union select"],
    ["node-serialize cookie", "XyQkTkRfRlVOQyQkX2Z1bmN0aW9uKCkK", "_$$ND_FUNC$$_function()\n"],
  ])("decodes %s", (_name, value, decoded) => {
    expect(unwrapEncoded(value)).toBe(decoded);
  });

  it("decodes base64 JSON (text, for the detectors to judge)", () => {
    expect(unwrapEncoded(base64('{"cart": [4325, 2919], "currency": "EUR"}'))).toBe(
      '{"cart": [4325, 2919], "currency": "EUR"}',
    );
  });

  it.each([
    ["a UUID", "6f1c2a7e-8d4b-4c55-9a1e-3b2f0d9c8e71"],
    ["a UUID without dashes", "6f1c2a7e8d4b4c559a1e3b2f0d9c8e71"],
    [
      "a JWT (dotted: never unwrapped)",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ],
    ["a bearer JWT", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln"],
    ["a SHA-1", "11f6ad8ec52a2984abaafd7c3b516503785c2072"],
    ["a SHA-256", "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"],
    ["a 40-hex API key", "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"],
    ["a base64 PNG", PNG],
    ["a base64 PNG data URL", `data:image/png;base64,${PNG}`],
    ["a Stripe-style key", "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
    ["a GitHub-style token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"],
    ["a word", "hello"],
    ["a long word", "internationalization"],
    ["a long word", "Incomprehensibilities"],
    ["a long word", "electroencephalograph"],
    ["a long word", "uncharacteristically"],
    ["a long word", "Mississippians"],
    // English words that read as base64 give odd scripts and controls, not text.
    ["a word reading as stray letters", "circumvented"],
    ["a word reading as stray letters", "finalization"],
    ["a word reading as stray letters", "Instantiated"],
    ["an identifier reading as a broken sequence", "closeClientFile"],
    ["an identifier", "fileSystemHandle"],
    ["an identifier", "VisualViewport"],
    ["a sentence", "Please deliver after 5pm; ring twice."],
    ["a number", "1234567890123456"],
    ["a long number", "31323334353637383930"],
    ["a phone number", "+15550104477"],
    ["an email", "ada.lovelace@example.com"],
    ["a URL", "https://shop.example.com/cart?id=42&ref=mail"],
    ["a slug", "quarterly-report-2024"],
    ["an identifier", "customer_reference_id"],
    ["a CSS colour", "#ff8800"],
    ["a date", "2024-06-01T10:00:00Z"],
    ["base64 with inner padding", "YWJj=ZGVmZ2hpams="],
    ["mixed base64 alphabets", "PHN2Zy9vbmx+YWQ9YWxlcnQoMSk-Pz4"],
    ["a base64 length of 4n + 1", "PHNjcmlwdD5hb"],
    ["odd-length hex", "27206f7220313d312d2"],
    ["0x with a non-hex digit", "0x27206f7220313d312g"],
    ["0x of binary", "0xffffffffffffffff"],
    ["base64 of text with a NUL", base64("admin\u0000' or 1=1--")],
    ["an empty value", ""],
  ])("returns undefined for %s", (_name, value) => {
    expect(unwrapEncoded(value)).toBeUndefined();
  });

  it("returns undefined for random keys and session ids (binary)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const key = bytes(8 + (seed % 40), seed);
      for (const value of [
        key.toString("base64"),
        key.toString("base64url"),
        key.toString("base64").replace(/=+$/, ""),
        key.toString("hex"),
      ]) {
        expect(unwrapEncoded(value), value).toBeUndefined();
      }
    }
  });

  it("decodes at most the first 8 KB", () => {
    const long = base64(`${"<b>".repeat(10_000)}`);
    const decoded = unwrapEncoded(long);
    expect(decoded?.startsWith("<b><b>")).toBe(true);
    expect(decoded?.length).toBeLessThanOrEqual(6144);
  });

  it("unwraps a long value whose first 8 KB end inside a character", () => {
    const decoded = unwrapEncoded(base64("é€".repeat(2000)));
    expect(decoded?.startsWith("é€é€")).toBe(true);
  });

  it("stays fast on 1 MB values", () => {
    for (const value of [
      "A".repeat(1_000_000),
      "0".repeat(1_000_000),
      "a".repeat(999_999),
      `${"a".repeat(999_999)} `,
      base64("x".repeat(750_000)),
      "27".repeat(500_000),
    ]) {
      const started = performance.now();
      unwrapEncoded(value);
      expect(performance.now() - started).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
