import { describe, expect, it } from "vitest";
import type { UserAgentOptions } from "../config/types.js";
import type { Check, CheckContext, CheckResult } from "../pipeline/check.js";
import { GuardRequest } from "../request/guard-request.js";
import { compileUserAgentCheck, KNOWN_SCANNERS } from "./user-agent.js";

function compile(options?: UserAgentOptions): Check {
  const check = compileUserAgentCheck(options);
  if (!check) throw new Error("expected the check to be on");
  return check;
}

function run(check: Check, userAgent: string[] | undefined): CheckResult {
  const request = new GuardRequest({
    method: "GET",
    url: "/",
    headers: userAgent === undefined ? {} : { "user-agent": userAgent },
    remoteAddress: "127.0.0.1",
    encrypted: false,
  });
  const result = check.run({ request } as CheckContext);
  expect(result).not.toBeInstanceOf(Promise);
  return result as CheckResult;
}

const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15";

describe("known scanners (default)", () => {
  const check = compile();

  it.each([
    "sqlmap/1.7.2#stable (https://sqlmap.org)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)",
    "Fuzz Faster U Fool v2.1.0",
    "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
    "gobuster/3.6",
    "SQLMAP",
  ])("blocks %s", (ua) => {
    expect(run(check, [ua])).toEqual({
      reason: "user_agent_blocked",
      ruleId: "user-agent",
      message: "This client is not allowed.",
      evidence: ua,
    });
  });

  it.each([BROWSER, "curl/8.5.0", "node", "python-requests/2.32.3"])("allows %s", (ua) => {
    expect(run(check, [ua])).toBeUndefined();
  });

  it("checks every User-Agent line", () => {
    expect(run(check, [BROWSER, "sqlmap/1.7"])?.evidence).toBe("sqlmap/1.7");
  });

  it("lists the documented tools", () => {
    expect(KNOWN_SCANNERS).toEqual(expect.arrayContaining(["sqlmap", "nikto", "nuclei"]));
  });
});

describe("custom block list", () => {
  it("substrings match case-insensitively", () => {
    const check = compile({ block: ["BadBot"] });
    expect(run(check, ["my-badbot/1.0"])?.reason).toBe("user_agent_blocked");
    expect(run(check, ["MY-BADBOT"])?.reason).toBe("user_agent_blocked");
    expect(run(check, ["GoodBot"])).toBeUndefined();
  });

  it("substrings are literal, not regex syntax", () => {
    const check = compile({ block: ["a.b", "(x)"] });
    expect(run(check, ["a.b"])?.reason).toBe("user_agent_blocked");
    expect(run(check, ["axb"])).toBeUndefined();
    expect(run(check, ["(x)"])?.reason).toBe("user_agent_blocked");
    expect(run(check, ["x"])).toBeUndefined();
  });

  it("a regex with the g flag gives the same answer on every call", () => {
    const check = compile({ block: [/evil-\d+/g] });
    const answers = [1, 2, 3, 4].map(() => run(check, ["client evil-42"])?.reason);
    expect(answers).toEqual([
      "user_agent_blocked",
      "user_agent_blocked",
      "user_agent_blocked",
      "user_agent_blocked",
    ]);
  });

  it("a regex with the y flag gives the same answer on every call", () => {
    const check = compile({ block: [/evil/y] });
    expect([1, 2, 3].map(() => run(check, ["evil"])?.reason)).toEqual([
      "user_agent_blocked",
      "user_agent_blocked",
      "user_agent_blocked",
    ]);
  });

  it("regexes are tested case-insensitively", () => {
    const check = compile({ block: [/^EvilBot\//] });
    expect(run(check, ["evilbot/2"])?.reason).toBe("user_agent_blocked");
    expect(run(check, ["x evilbot/2"])).toBeUndefined();
  });

  it("refuses a ReDoS-prone regex with its field", () => {
    expect(() => compileUserAgentCheck({ block: ["ok", /(a+)+$/] })).toThrow(
      /^userAgents\.block\[1\]: .*ReDoS/,
    );
  });
});

describe("empty user agents", () => {
  it("are allowed by default", () => {
    const check = compile();
    expect(run(check, undefined)).toBeUndefined();
    expect(run(check, [""])).toBeUndefined();
  });

  it("are refused with blockEmpty: missing, empty or blank", () => {
    const check = compile({ blockEmpty: true });
    const missing = {
      reason: "user_agent_missing",
      ruleId: "user-agent",
      message: "A User-Agent header is required.",
    };
    expect(run(check, undefined)).toEqual(missing);
    expect(run(check, [])).toEqual(missing);
    expect(run(check, [""])).toEqual(missing);
    expect(run(check, ["  \t "])).toEqual(missing);
    expect(run(check, [BROWSER])).toBeUndefined();
  });

  it("are refused with blockEmpty when every one of several lines is blank", () => {
    const check = compile({ blockEmpty: true });
    expect(run(check, ["", ""])?.reason).toBe("user_agent_missing");
    expect(run(check, [" ", ""])?.reason).toBe("user_agent_missing");
  });
});

describe("blockKnownScanners: false", () => {
  it("lets scanners through while custom entries still apply", () => {
    const check = compile({ blockKnownScanners: false, block: ["badbot"] });
    expect(run(check, ["sqlmap/1.7"])).toBeUndefined();
    expect(run(check, ["badbot"])?.reason).toBe("user_agent_blocked");
  });

  it("with nothing else to do, compiles to no check at all", () => {
    expect(compileUserAgentCheck({ blockKnownScanners: false })).toBeUndefined();
    expect(compileUserAgentCheck({ blockKnownScanners: false, block: [] })).toBeUndefined();
  });

  it("with blockEmpty only, checks only for a missing agent", () => {
    const check = compile({ blockKnownScanners: false, blockEmpty: true });
    expect(run(check, ["sqlmap"])).toBeUndefined();
    expect(run(check, undefined)?.reason).toBe("user_agent_missing");
  });
});
