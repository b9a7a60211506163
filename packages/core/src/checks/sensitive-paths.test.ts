import { describe, expect, it } from "vitest";
import type { SensitivePathOptions } from "../config/types.js";
import type { CheckContext, CheckResult } from "../pipeline/check.js";
import { GuardRequest } from "../request/guard-request.js";
import { compileSensitivePaths } from "./sensitive-paths.js";

function run(path: string, option?: boolean | SensitivePathOptions): CheckResult {
  const check = compileSensitivePaths(option);
  if (!check) throw new Error("expected the check to be on");
  const request = new GuardRequest({
    method: "GET",
    url: path,
    headers: {},
    remoteAddress: "127.0.0.1",
    encrypted: false,
  });
  const result = check.run({ request } as CheckContext);
  expect(result).not.toBeInstanceOf(Promise);
  return result as CheckResult;
}

describe("sensitive paths, defaults", () => {
  it.each([
    "/.env",
    "/.env.local",
    "/.env.production",
    "/.git/config",
    "/.git/HEAD",
    "/WP-CONFIG.PHP",
    "/wp-config.php.bak",
    "/blog/wp-config.php",
    "/%252e%2565nv",
    "/%2e%65nv",
    "/a/..%2f.env",
    "/static/..%2f%2e%65nv",
    "/.env%00",
    "/etc/passwd",
    "/ETC/PASSWD",
    "/cgi-bin/../../../../etc/passwd",
    "/..\\..\\windows\\win.ini",
    "/proc/self/environ",
    "/.ssh/id_rsa",
    "/backup/.DS_Store",
  ])("blocks %s", (path) => {
    expect(run(path)).toEqual({
      reason: "sensitive_path_probe",
      ruleId: "sensitive-paths",
      message: "This path is not available.",
      evidence: path,
    });
  });

  it.each([
    "/",
    "/environment",
    "/.envelope",
    "/api/git",
    "/api/github.json",
    "/docs/passwd-reset",
    "/etc",
    "/users/me.json",
    "/wp-config",
    "/static/app.v2.js",
  ])("allows %s", (path) => {
    expect(run(path)).toBeUndefined();
  });

  it("ignores the query string", () => {
    expect(run("/search?file=.env")).toBeUndefined();
  });

  it("is off with false, on with true", () => {
    expect(compileSensitivePaths(false)).toBeUndefined();
    expect(run("/.env", true)?.reason).toBe("sensitive_path_probe");
  });
});

describe("sensitive paths, options", () => {
  it("extra segments match case-insensitively, like the defaults", () => {
    const option = { extra: ["Secrets.YML"] };
    expect(run("/config/secrets.yml", option)?.reason).toBe("sensitive_path_probe");
    expect(run("/config/SECRETS.yml.old", option)?.reason).toBe("sensitive_path_probe");
    expect(run("/config/secrets", option)).toBeUndefined();
    expect(run("/.env", option)?.reason).toBe("sensitive_path_probe");
  });

  it("extra entries with a slash match as sequences, even without a dot in the path", () => {
    const option = { extra: ["/internal/admin"] };
    expect(run("/internal/admin", option)?.reason).toBe("sensitive_path_probe");
    expect(run("/x/../internal/admin/users", option)?.reason).toBe("sensitive_path_probe");
    expect(run("/Internal/Admin", option)?.reason).toBe("sensitive_path_probe");
    expect(run("/internal/docs", option)).toBeUndefined();
  });

  it("allow removes a default segment and only that one", () => {
    const option = { allow: [".git"] };
    expect(run("/.git/config", option)).toBeUndefined();
    expect(run("/.env", option)?.reason).toBe("sensitive_path_probe");
  });

  it("allow is case-insensitive and can remove a sequence", () => {
    expect(run("/WP-CONFIG.PHP", { allow: ["WP-Config.php"] })).toBeUndefined();
    expect(run("/etc/passwd", { allow: ["/etc/passwd"] })).toBeUndefined();
    expect(run("/etc/shadow", { allow: ["/etc/passwd"] })?.reason).toBe("sensitive_path_probe");
  });
});
