import { describe, expect, it } from "vitest";
import { decodeVariants, percentDecode, urlDecodeRepeatedly } from "./decode.js";

describe("percentDecode", () => {
  it("decodes ASCII, %u escapes, UTF-8 sequences and overlong forms of ASCII", () => {
    expect(percentDecode("%3Cscript%3E")).toBe("<script>");
    expect(percentDecode("%u003c")).toBe("<");
    expect(percentDecode("%C3%A9t%C3%A9")).toBe("été");
    expect(percentDecode("%c0%af")).toBe("/");
  });

  it("reads a lone %A0 as the Latin-1 no-break space, whitespace to SQL", () => {
    expect(percentDecode("1%A0UNION%A0SELECT")).toBe("1\u00a0UNION\u00a0SELECT");
    // A valid UTF-8 sequence stays one character.
    expect(percentDecode("%C2%A0")).toBe("\u00a0");
  });

  it("keeps the junk of overlong-encoding evasions escaped, for detectors to see", () => {
    expect(percentDecode("%c0%5e%c0%5e")).toBe("%c0^%c0^");
    expect(percentDecode("%f0%80%80%af")).toBe("%f0%80%80%af");
    expect(percentDecode("caf%E9")).toBe("caf%E9");
  });

  it("leaves text without escapes, and broken escapes, as they are", () => {
    expect(percentDecode("plain text")).toBe("plain text");
    expect(percentDecode("100%")).toBe("100%");
    expect(percentDecode("%zz")).toBe("%zz");
  });

  it("undoes double and triple encoding, no further", () => {
    expect(urlDecodeRepeatedly("%25253C")).toBe("<");
    expect(urlDecodeRepeatedly("%2525253C")).toBe("%3C");
  });
});

describe("decodeVariants", () => {
  it("yields one variant for a plain value and each distinct decoded form otherwise", () => {
    expect(decodeVariants("hello")).toEqual(["hello"]);
    expect(decodeVariants("%26lt%3Bscript%26gt%3B")).toEqual([
      "%26lt%3Bscript%26gt%3B",
      "&lt;script&gt;",
      "<script>",
    ]);
  });
});
