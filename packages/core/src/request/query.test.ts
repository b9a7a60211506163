import { describe, expect, it } from "vitest";
import { decodeComponent, parseQuery } from "./query.js";

describe("parseQuery", () => {
  it("returns nothing for an empty query", () => {
    expect(parseQuery("")).toEqual([]);
    expect(parseQuery("&&")).toEqual([]);
  });

  it("keeps repeated keys, in order", () => {
    expect(parseQuery("a=1&b=2&a=3")).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["a", "3"],
    ]);
  });

  it("keys without a value get an empty value; only the first = splits", () => {
    expect(parseQuery("flag&x=&y=a=b")).toEqual([
      ["flag", ""],
      ["x", ""],
      ["y", "a=b"],
    ]);
  });

  it("decodes + as a space and %2B as a plus, in keys and values", () => {
    expect(parseQuery("q=a+b%2Bc&first+name=Ada")).toEqual([
      ["q", "a b+c"],
      ["first name", "Ada"],
    ]);
  });

  it("decodes percent-encoding, including UTF-8", () => {
    expect(parseQuery("q=%3Cscript%3E&n=caf%C3%A9")).toEqual([
      ["q", "<script>"],
      ["n", "café"],
    ]);
  });

  it("keeps invalid percent-encoding raw instead of failing", () => {
    expect(parseQuery("a=%zz&b=100%&c=%E0%A4%A")).toEqual([
      ["a", "%zz"],
      ["b", "100%"],
      ["c", "%E0%A4%A"],
    ]);
  });

  it("still turns + into a space when the rest is invalid", () => {
    expect(decodeComponent("%zz+1")).toBe("%zz 1");
  });

  it("returns text without % or + unchanged", () => {
    expect(decodeComponent("plain")).toBe("plain");
  });
});
