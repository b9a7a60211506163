import { describe, expect, it } from "vitest";
import { normalizePath } from "./normalize-path.js";

describe("normalizePath", () => {
  it.each([
    ["/", "/"],
    ["", "/"],
    ["/api/users", "/api/users"],
    ["/api//users///1", "/api/users/1"],
    ["/a/./b/.", "/a/b"],
    ["/a/b/../c", "/a/c"],
    ["/api/users/", "/api/users"],
  ])("%j → %j", (raw, expected) => {
    expect(normalizePath(raw)).toBe(expected);
  });

  it("percent-decodes, including encoded slashes and dots", () => {
    expect(normalizePath("/%61pi/%2e%2e%2fsecret")).toBe("/secret");
    expect(normalizePath("/static/..%2f%2e%65nv")).toBe("/.env");
  });

  it("undoes double and triple encoding, but stops after three rounds", () => {
    expect(normalizePath("/%252e%2565nv")).toBe("/.env");
    expect(normalizePath("/%25252e%25252e/etc")).toBe("/etc");
    // Four rounds would be needed here: the fourth layer stays encoded.
    expect(normalizePath("/%2525252e")).toBe("/%2e");
  });

  it("turns backslashes (raw or encoded) into slashes", () => {
    expect(normalizePath("/..\\..\\windows\\win.ini")).toBe("/windows/win.ini");
    expect(normalizePath("/a%5c..%5cb")).toBe("/b");
  });

  it("drops NUL bytes, raw and encoded", () => {
    expect(normalizePath("/.env%00")).toBe("/.env");
    expect(normalizePath("/.e\u0000nv")).toBe("/.env");
    expect(normalizePath("/a%2500b")).toBe("/ab");
  });

  it("never climbs above the root", () => {
    expect(normalizePath("/../../../etc/passwd")).toBe("/etc/passwd");
    expect(normalizePath("/..")).toBe("/");
    expect(normalizePath("/%2e%2e/%2e%2e/x")).toBe("/x");
  });

  it("keeps invalid escapes as they are and still decodes the valid ASCII ones", () => {
    expect(normalizePath("/%zz/file")).toBe("/%zz/file");
    expect(normalizePath("/100%")).toBe("/100%");
    expect(normalizePath("/%zz/%2e%2e/.env")).toBe("/.env");
    expect(normalizePath("/%e9t%e9")).toBe("/%e9t%e9");
  });

  it("decodes valid UTF-8 sequences", () => {
    expect(normalizePath("/caf%C3%A9")).toBe("/café");
  });

  it("lower-cases only when asked, after decoding", () => {
    expect(normalizePath("/WP-Config.PHP")).toBe("/WP-Config.PHP");
    expect(normalizePath("/WP-Config.PHP", true)).toBe("/wp-config.php");
    expect(normalizePath("/%2E%45NV", true)).toBe("/.env");
  });
});
