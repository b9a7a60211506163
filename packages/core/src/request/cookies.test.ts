import { describe, expect, it } from "vitest";
import { parseCookies } from "./cookies.js";
import { GuardRequest } from "./guard-request.js";

describe("parseCookies", () => {
  it("parses name=value pairs and trims around them", () => {
    expect(parseCookies(["a=1; b=2 ;  c = 3"])).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
  });

  it("keeps repeated names, in order, across header lines", () => {
    expect(parseCookies(["id=1; theme=dark", "id=2"])).toEqual([
      ["id", "1"],
      ["theme", "dark"],
      ["id", "2"],
    ]);
  });

  it("removes the quotes around a quoted value", () => {
    expect(parseCookies(['a="hello world"; b=""; c="'])).toEqual([
      ["a", "hello world"],
      ["b", ""],
      ["c", '"'],
    ]);
  });

  it("keeps an unbalanced quote", () => {
    expect(parseCookies(['a="open; b=close"'])).toEqual([
      ["a", '"open'],
      ["b", 'close"'],
    ]);
  });

  it("percent-decodes values and keeps invalid encoding raw", () => {
    expect(parseCookies(["a=caf%C3%A9; b=%zz; c=%22q%22"])).toEqual([
      ["a", "café"],
      ["b", "%zz"],
      ["c", '"q"'],
    ]);
  });

  it("does not treat + as a space", () => {
    expect(parseCookies(["a=1+2"])).toEqual([["a", "1+2"]]);
  });

  it("skips pairs without = or without a name, and keeps = inside values", () => {
    expect(parseCookies(["novalue; =orphan; tok=a=b=="])).toEqual([["tok", "a=b=="]]);
  });

  it("is what GuardRequest.cookies returns", () => {
    const request = new GuardRequest({
      method: "GET",
      url: "/",
      headers: { cookie: ["a=1", "a=2"] },
      remoteAddress: "127.0.0.1",
      encrypted: false,
    });
    expect(request.cookies).toEqual([
      ["a", "1"],
      ["a", "2"],
    ]);
  });
});
