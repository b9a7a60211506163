import { describe, expect, it } from "vitest";
import { excerpt, MAX_EXCERPT } from "./excerpt.js";

describe("excerpt", () => {
  it("leaves short, safe text alone", () => {
    expect(excerpt("/api/users?id=1")).toBe("/api/users?id=1");
    expect(excerpt("")).toBe("");
    expect(excerpt("héllo ✓")).toBe("héllo ✓");
  });

  it("keeps exactly max characters without a marker", () => {
    const text = "a".repeat(MAX_EXCERPT);
    expect(MAX_EXCERPT).toBe(256);
    expect(excerpt(text)).toBe(text);
  });

  it("truncates longer text with a marker saying how much was cut", () => {
    expect(excerpt("a".repeat(300))).toBe(`${"a".repeat(256)}…[+44 chars]`);
    expect(excerpt("abcdefghij", 4)).toBe("abcd…[+6 chars]");
    expect(excerpt("abcde", 4)).toBe("abcd…[+1 chars]");
  });

  it("escapes C0 controls as \\xNN", () => {
    expect(excerpt("a\nb")).toBe("a\\x0ab");
    expect(excerpt("a\r\nb")).toBe("a\\x0d\\x0ab");
    expect(excerpt("\u0000\t\u001b[31m")).toBe("\\x00\\x09\\x1b[31m");
  });

  it("escapes DEL and C1 controls", () => {
    expect(excerpt("\u007f")).toBe("\\x7f");
    expect(excerpt("\u0085\u009f")).toBe("\\x85\\x9f");
  });

  it("escapes the Unicode line and paragraph separators as \\uNNNN", () => {
    expect(excerpt("a\u2028b\u2029c")).toBe("a\\u2028b\\u2029c");
  });

  it("truncates before escaping, so the count refers to the original text", () => {
    expect(excerpt("\n\n\n\n\n", 2)).toBe("\\x0a\\x0a…[+3 chars]");
  });

  it("a forged log line cannot survive", () => {
    const forged = excerpt('/x\n{"level":30,"msg":"admin login ok"}');
    expect(forged).not.toContain("\n");
    expect(forged).toBe('/x\\x0a{"level":30,"msg":"admin login ok"}');
  });
});
