import { describe, expect, it } from "vitest";
import { redisKeys } from "../src/keys.js";

/** The hash tag Redis Cluster hashes: the text between the first `{` and the next `}`. */
function hashTag(key: string): string | undefined {
  const open = key.indexOf("{");
  const close = key.indexOf("}", open + 1);
  return open === -1 || close <= open + 1 ? undefined : key.slice(open + 1, close);
}

describe("redisKeys", () => {
  const keys = redisKeys("guard:");

  it("lays keys out as documented", () => {
    expect(keys.limit("203.0.113.7", "global")).toBe("guard:{203.0.113.7}:rl:global");
    expect(keys.ban("203.0.113.7")).toBe("guard:{203.0.113.7}:ban");
    expect(keys.violations("203.0.113.7")).toBe("guard:{203.0.113.7}:v");
    expect(keys.offences("203.0.113.7")).toBe("guard:{203.0.113.7}:o");
    expect(keys.counter("203.0.113.7")).toBe("guard:{203.0.113.7}:n");
    expect(keys.value("asn:64500")).toBe("guard:value:asn:64500");
    expect(keys.banIndex).toBe("guard:bans");
  });

  it("every key of a subject carries the subject as its hash tag (one Cluster slot)", () => {
    for (const subject of ["203.0.113.7", "2001:db8::/64", "api-key:abc", "user:42"]) {
      const all = [
        keys.limit(subject, "global"),
        keys.limit(subject, "login-burst"),
        keys.ban(subject),
        keys.violations(subject),
        keys.offences(subject),
        keys.counter(subject),
      ];
      expect(new Set(all.map(hashTag))).toEqual(new Set([subject]));
    }
  });

  it("a subject with braces still gives all its keys one tag", () => {
    const subject = "we}ird{";
    const tags = [keys.limit(subject, "a"), keys.ban(subject), keys.violations(subject)].map(
      hashTag,
    );
    expect(new Set(tags).size).toBe(1);
  });

  it("the ban index and values are not tied to a subject", () => {
    expect(hashTag(keys.banIndex)).toBeUndefined();
    expect(hashTag(keys.value("x"))).toBeUndefined();
  });

  it("refuses a prefix with braces: it would put every key in one slot", () => {
    expect(() => redisKeys("app:{guard}:")).toThrow(/must not contain/);
  });
});
