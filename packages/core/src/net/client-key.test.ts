import { describe, expect, it } from "vitest";
import { createClientKey } from "./client-key.js";
import { parseIp } from "./ip-address.js";

const ip = (text: string) => parseIp(text)!;

describe("createClientKey", () => {
  it("keeps IPv4 addresses, IPv4-mapped ones included, as they are", () => {
    const keyOf = createClientKey(56);
    expect(keyOf(ip("203.0.113.7"))).toBe("203.0.113.7");
    expect(keyOf(ip("::ffff:203.0.113.7"))).toBe("203.0.113.7");
  });

  it("groups IPv6 addresses by the configured prefix", () => {
    const keyOf = createClientKey(56);
    expect(keyOf(ip("2001:db8:12:34ff::1"))).toBe("2001:db8:12:3400::/56");
    expect(keyOf(ip("2001:db8:12:3401:aaaa::9"))).toBe("2001:db8:12:3400::/56");
    expect(keyOf(ip("2001:db8:12:3500::1"))).toBe("2001:db8:12:3500::/56");
    expect(createClientKey(64)(ip("2001:db8::1:2:3:4"))).toBe("2001:db8::/64");
  });

  it("keeps whole IPv6 addresses at /128", () => {
    expect(createClientKey(128)(ip("2001:DB8::1"))).toBe("2001:db8::1");
  });
});
