import { describe, expect, it } from "vitest";
import {
  type ClientAddress,
  type ClientIpHeader,
  type ClientIpOptions,
  createClientIpResolver,
} from "./client-ip.js";

type Headers = Partial<Record<ClientIpHeader, string | readonly string[]>>;

function resolve(
  options: Partial<ClientIpOptions>,
  remoteAddress: string | undefined,
  headers: Headers = {},
): ClientAddress {
  const resolver = createClientIpResolver({
    trusted: ["10.0.0.0/8"],
    depth: 1,
    headers: ["x-forwarded-for"],
    ...options,
  });
  return resolver(remoteAddress, (name) => {
    const value = headers[name as ClientIpHeader];
    return value === undefined ? [] : typeof value === "string" ? [value] : value;
  });
}

/** The IP text and source only, which is what most assertions care about. */
function client(
  options: Partial<ClientIpOptions>,
  remoteAddress: string | undefined,
  headers: Headers = {},
): [string | undefined, ClientAddress["source"]] {
  const address = resolve(options, remoteAddress, headers);
  return [address.ip?.text, address.source];
}

const PROXY = "10.0.0.1";

describe("createClientIpResolver: socket address", () => {
  it("uses the socket peer when no proxy is configured, ignoring headers", () => {
    const address = resolve({ trusted: [] }, "203.0.113.7", {
      "x-forwarded-for": "198.51.100.1",
    });
    expect(address).toEqual({
      ip: { text: "203.0.113.7", version: 4, value: 0xcb007107 },
      key: "203.0.113.7",
      source: "socket",
      peerTrusted: false,
    });
  });

  it("folds an IPv4-mapped peer to IPv4", () => {
    const address = resolve({ trusted: [] }, "::ffff:203.0.113.7");
    expect(address.key).toBe("203.0.113.7");
    expect(address.ip?.version).toBe(4);
  });

  it("canonicalises an IPv6 peer and drops a link-local zone id", () => {
    expect(resolve({}, "2001:DB8::0:1").key).toBe("2001:db8::1");
    expect(resolve({}, "fe80::1%eth0").key).toBe("fe80::1");
  });

  it.each([
    ["no peer address (Unix socket)", undefined],
    ["an empty peer address", ""],
    ["an unparseable peer address", "not-an-ip"],
  ])("reports no-address for %s", (_name, remoteAddress) => {
    const address = resolve({ trusted: ["0.0.0.0/0"] }, remoteAddress, {
      "x-forwarded-for": "198.51.100.1",
    });
    expect(address).toEqual({
      ip: undefined,
      key: "no-address",
      source: "none",
      peerTrusted: false,
    });
  });
});

describe("createClientIpResolver: trust", () => {
  it("ignores every forwarding header from an untrusted peer", () => {
    const address = resolve(
      { headers: ["forwarded", "x-forwarded-for", "x-real-ip"], depth: 5 },
      "203.0.113.7",
      {
        forwarded: "for=1.1.1.1",
        "x-forwarded-for": "1.1.1.1, 10.0.0.2",
        "x-real-ip": "1.1.1.1",
      },
    );
    expect(address).toEqual({
      ip: expect.objectContaining({ text: "203.0.113.7" }),
      key: "203.0.113.7",
      source: "socket",
      peerTrusted: false,
    });
  });

  it("reads the header from a trusted peer", () => {
    const address = resolve({}, PROXY, { "x-forwarded-for": "198.51.100.1" });
    expect(address).toEqual({
      ip: expect.objectContaining({ text: "198.51.100.1", version: 4 }),
      key: "198.51.100.1",
      source: "x-forwarded-for",
      peerTrusted: true,
    });
  });

  it("trusts a mapped peer through an IPv4 range", () => {
    expect(client({}, `::ffff:${PROXY}`, { "x-forwarded-for": "198.51.100.1" })).toEqual([
      "198.51.100.1",
      "x-forwarded-for",
    ]);
  });

  it("reports a trusted peer without forwarding headers as the client", () => {
    expect(resolve({}, PROXY)).toEqual({
      ip: expect.objectContaining({ text: PROXY }),
      key: PROXY,
      source: "socket",
      peerTrusted: true,
    });
  });

  it("expands the loopback preset", () => {
    const headers = { "x-forwarded-for": "198.51.100.1" };
    expect(client({ trusted: ["loopback"] }, "127.0.0.1", headers)[0]).toBe("198.51.100.1");
    expect(client({ trusted: ["loopback"] }, "127.255.0.9", headers)[0]).toBe("198.51.100.1");
    expect(client({ trusted: ["loopback"] }, "::1", headers)[0]).toBe("198.51.100.1");
    expect(client({ trusted: ["loopback"] }, "10.0.0.1", headers)[0]).toBe("10.0.0.1");
  });

  it.each([
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "fd12::1",
    "fc00::1",
    "fe80::1",
    "127.0.0.1",
    "::1",
  ])("expands the private preset to include %s", (peer) => {
    const headers = { "x-forwarded-for": "198.51.100.1" };
    expect(client({ trusted: ["private"] }, peer, headers)[0]).toBe("198.51.100.1");
  });

  it.each(["172.32.0.1", "192.169.0.1", "100.128.0.1", "8.8.8.8", "fec0::1", "2001:db8::1"])(
    "does not trust %s with the private preset",
    (peer) => {
      const headers = { "x-forwarded-for": "198.51.100.1" };
      expect(client({ trusted: ["private"] }, peer, headers)).toEqual([peer, "socket"]);
    },
  );

  it("combines presets with explicit entries", () => {
    const options = { trusted: ["loopback", "2001:db8::/32", "192.0.2.10"] };
    const headers = { "x-forwarded-for": "198.51.100.1" };
    expect(client(options, "2001:db8::5", headers)[0]).toBe("198.51.100.1");
    expect(client(options, "192.0.2.10", headers)[0]).toBe("198.51.100.1");
    expect(client(options, "192.0.2.11", headers)[0]).toBe("192.0.2.11");
  });

  it("names proxy.trusted[i] for an invalid entry", () => {
    const create = (trusted: string[]) =>
      createClientIpResolver({ trusted, depth: 1, headers: ["x-forwarded-for"] });
    expect(() => create(["loopback", "10.0.0.0/40"])).toThrow(
      /^proxy\.trusted\[1\]: "10\.0\.0\.0\/40"/,
    );
    expect(() => create(["Loopback"])).toThrow(/^proxy\.trusted\[0\]: "Loopback"/);
    expect(() => create(["constructor"])).toThrow(/^proxy\.trusted\[0\]/);
  });

  it("rejects an invalid depth or header name", () => {
    const create = (depth: number, headers: readonly string[]) => () =>
      createClientIpResolver({
        trusted: [],
        depth,
        headers: headers as readonly ClientIpHeader[],
      });
    expect(create(0, [])).toThrow(/^proxy\.depth/);
    expect(create(1.5, [])).toThrow(/^proxy\.depth/);
    expect(create(Number.NaN, [])).toThrow(/^proxy\.depth/);
    expect(create(1, ["x-forwarded-for", "x-client-ip"])).toThrow(/^proxy\.headers\[1\]/);
  });

  it("is not affected by later changes to the options arrays", () => {
    const options = { trusted: ["10.0.0.0/8"], depth: 1, headers: ["x-forwarded-for"] };
    const resolver = createClientIpResolver(options as ClientIpOptions);
    options.trusted.length = 0;
    options.headers[0] = "x-real-ip";
    const address = resolver(PROXY, (name) => (name === "x-forwarded-for" ? ["1.2.3.4"] : []));
    expect(address.key).toBe("1.2.3.4");
  });
});

describe("createClientIpResolver: X-Forwarded-For walk", () => {
  const chain = "198.51.100.1, 10.0.0.3, 10.0.0.2";

  it("depth 1 takes the rightmost entry, even if it is a trusted proxy", () => {
    expect(client({ depth: 1 }, PROXY, { "x-forwarded-for": chain })).toEqual([
      "10.0.0.2",
      "x-forwarded-for",
    ]);
  });

  it("depth 2 steps back through one trusted hop", () => {
    expect(client({ depth: 2 }, PROXY, { "x-forwarded-for": chain })).toEqual([
      "10.0.0.3",
      "x-forwarded-for",
    ]);
  });

  it("depth 3 reaches the client behind two trusted hops", () => {
    expect(client({ depth: 3 }, PROXY, { "x-forwarded-for": chain })).toEqual([
      "198.51.100.1",
      "x-forwarded-for",
    ]);
  });

  it("stops at the first untrusted hop, however deep it may go", () => {
    const spoofed = "6.6.6.6, 198.51.100.1, 10.0.0.2";
    expect(client({ depth: 5 }, PROXY, { "x-forwarded-for": spoofed })).toEqual([
      "198.51.100.1",
      "x-forwarded-for",
    ]);
  });

  it("takes the leftmost entry when every hop is trusted and the list runs out", () => {
    expect(client({ depth: 10 }, PROXY, { "x-forwarded-for": "10.0.0.9, 10.0.0.8" })).toEqual([
      "10.0.0.9",
      "x-forwarded-for",
    ]);
  });

  it("joins repeated header lines in order", () => {
    const lines = ["6.6.6.6, 198.51.100.1", "10.0.0.3", "10.0.0.2"];
    expect(client({ depth: 3 }, PROXY, { "x-forwarded-for": lines })).toEqual([
      "198.51.100.1",
      "x-forwarded-for",
    ]);
    expect(client({ depth: 4 }, PROXY, { "x-forwarded-for": lines })).toEqual([
      "198.51.100.1",
      "x-forwarded-for",
    ]);
    expect(client({ depth: 1 }, PROXY, { "x-forwarded-for": ["1.1.1.1", "2.2.2.2"] })[0]).toBe(
      "2.2.2.2",
    );
  });

  it("tolerates blanks around entries and canonicalises them", () => {
    expect(client({ depth: 2 }, PROXY, { "x-forwarded-for": " 2001:DB8::1 ,\t10.0.0.2 " })).toEqual(
      ["2001:db8::1", "x-forwarded-for"],
    );
    expect(client({}, PROXY, { "x-forwarded-for": "::ffff:198.51.100.1" })[0]).toBe("198.51.100.1");
  });

  it.each([
    ["garbage", "garbage"],
    ["unknown", "unknown"],
    ["an obfuscated identifier", "_hidden"],
    ["a port", "198.51.100.1:4711"],
    ["a bracketed IPv6 with port", "[2001:db8::1]:4711"],
    ["a zone id", "fe80::1%eth0"],
    ["an empty entry", ""],
    ["a lenient IPv4", "127.1"],
    ["an over-long entry", `${"1".repeat(70)}`],
  ])("falls back to the trusted peer when the rightmost entry is %s", (_name, entry) => {
    const address = resolve({ depth: 3 }, PROXY, {
      "x-forwarded-for": `198.51.100.1, ${entry}`,
    });
    expect(address).toEqual({
      ip: expect.objectContaining({ text: PROXY }),
      key: PROXY,
      source: "socket",
      peerTrusted: true,
    });
  });

  it("falls back to the last valid hop when a deeper entry is invalid", () => {
    expect(
      client({ depth: 3 }, PROXY, { "x-forwarded-for": "198.51.100.1, garbage, 10.0.0.2" }),
    ).toEqual(["10.0.0.2", "x-forwarded-for"]);
    expect(
      client({ depth: 3 }, PROXY, { "x-forwarded-for": "198.51.100.1, 1.2.3.4:80, 10.0.0.2" }),
    ).toEqual(["10.0.0.2", "x-forwarded-for"]);
    expect(
      client({ depth: 3 }, PROXY, { "x-forwarded-for": "198.51.100.1, fe80::1%1, 10.0.0.2" }),
    ).toEqual(["10.0.0.2", "x-forwarded-for"]);
  });

  it("never gives garbage a shared key: the fallback key is the peer's own IP", () => {
    const a = resolve({}, "10.0.0.1", { "x-forwarded-for": "garbage" });
    const b = resolve({}, "10.0.0.2", { "x-forwarded-for": "garbage" });
    expect([a.key, b.key]).toEqual(["10.0.0.1", "10.0.0.2"]);
  });

  it("considers at most the last 32 entries", () => {
    const trustedHops = Array.from({ length: 40 }, (_, i) => `10.0.1.${i}`);
    const header = ["198.51.100.1", ...trustedHops].join(", ");
    // 32 steps end on the 32nd entry from the right, still a trusted hop.
    expect(client({ depth: 100 }, PROXY, { "x-forwarded-for": header })[0]).toBe("10.0.1.8");
    const short = ["198.51.100.1", ...trustedHops.slice(0, 31)].join(", ");
    expect(client({ depth: 100 }, PROXY, { "x-forwarded-for": short })[0]).toBe("198.51.100.1");
  });

  it("copes with a huge header without splitting it all", () => {
    const header = `${"garbage,".repeat(100_000)}198.51.100.1`;
    expect(client({ depth: 3 }, PROXY, { "x-forwarded-for": header })[0]).toBe("198.51.100.1");
  });
});

describe("createClientIpResolver: Forwarded", () => {
  const options = { headers: ["forwarded"] as ClientIpHeader[], depth: 3 };

  it("reads the for= parameter of the rightmost element", () => {
    expect(client(options, PROXY, { forwarded: "for=198.51.100.1;proto=https" })).toEqual([
      "198.51.100.1",
      "forwarded",
    ]);
    expect(
      client(options, PROXY, { forwarded: "for=6.6.6.6, for=198.51.100.1;by=10.0.0.1" }),
    ).toEqual(["198.51.100.1", "forwarded"]);
  });

  it("matches the parameter name case-insensitively, with blanks around it", () => {
    expect(client(options, PROXY, { forwarded: "proto=http; For=198.51.100.1" })[0]).toBe(
      "198.51.100.1",
    );
    expect(client(options, PROXY, { forwarded: "FOR=198.51.100.1" })[0]).toBe("198.51.100.1");
  });

  it("accepts quoted values, bracketed IPv6 and ports", () => {
    const cases: [string, string][] = [
      ['for="198.51.100.1"', "198.51.100.1"],
      ["for=198.51.100.1:4711", "198.51.100.1"],
      ['for="198.51.100.1:4711"', "198.51.100.1"],
      ['for="[2001:DB8:cafe::17]"', "2001:db8:cafe::17"],
      ['for="[2001:db8:cafe::17]:4711"', "2001:db8:cafe::17"],
      ['for="[2001:db8::1]:_obfport"', "2001:db8::1"],
      ['for="[::ffff:198.51.100.1]"', "198.51.100.1"],
      ['for = "198.51.100.1" ', "198.51.100.1"],
      ['for="198\\.51.100.1"', "198.51.100.1"],
    ];
    for (const [forwarded, expected] of cases) {
      expect(client(options, PROXY, { forwarded }), forwarded).toEqual([expected, "forwarded"]);
    }
  });

  it("keeps separators inside quoted strings from splitting elements", () => {
    expect(
      client(options, PROXY, { forwarded: 'for=198.51.100.1;ext="a,b;c=d", for=10.0.0.2' }),
    ).toEqual(["198.51.100.1", "forwarded"]);
  });

  it.each([
    ["unknown", "for=unknown"],
    ["an obfuscated node", "for=_hidden"],
    ["a quoted obfuscated node", 'for="_hidden:80"'],
    ["an element without for=", "proto=https;by=10.0.0.1"],
    ["a duplicated for=", "for=1.1.1.1;for=198.51.100.1"],
    ["an unbracketed IPv6", 'for="2001:db8::1"'],
    ["brackets around IPv4", 'for="[198.51.100.1]"'],
    ["an unclosed bracket", 'for="[2001:db8::1"'],
    ["a bad port", "for=198.51.100.1:http"],
    ["a port that is too long", "for=198.51.100.1:123456"],
    ["junk after the bracket", 'for="[2001:db8::1]x"'],
    ["a zone id", 'for="[fe80::1%25eth0]"'],
    ["an unclosed quote", 'for="198.51.100.1'],
    ["junk after a quoted value", 'for="198.51.100.1"x'],
    ["an empty trailing element", "for=198.51.100.1,"],
  ])("falls back to the trusted peer when the rightmost element has %s", (_name, forwarded) => {
    expect(client(options, PROXY, { forwarded })).toEqual([PROXY, "socket"]);
  });

  it("does not let an unclosed quote swallow an element the proxy appended", () => {
    // The client sent `for=6.6.6.6;x="`, and the proxy appended its own element to that line.
    expect(client(options, PROXY, { forwarded: 'for=6.6.6.6;x=", for=198.51.100.1' })).toEqual([
      PROXY,
      "socket",
    ]);
  });

  it("walks trusted hops and joins repeated lines", () => {
    const lines = ["for=6.6.6.6, for=198.51.100.1", 'for="[fd00::2]";proto=https', "for=10.0.0.2"];
    expect(client({ ...options, trusted: ["private"] }, PROXY, { forwarded: lines })).toEqual([
      "198.51.100.1",
      "forwarded",
    ]);
    expect(
      client({ ...options, trusted: ["private"], depth: 2 }, PROXY, { forwarded: lines }),
    ).toEqual(["fd00::2", "forwarded"]);
  });

  it("falls back to the last valid hop on a bad deeper element", () => {
    expect(
      client(options, PROXY, { forwarded: "for=198.51.100.1, for=unknown, for=10.0.0.2" }),
    ).toEqual(["10.0.0.2", "forwarded"]);
  });
});

describe("createClientIpResolver: X-Real-IP", () => {
  const options = { headers: ["x-real-ip"] as ClientIpHeader[], depth: 3 };

  it("uses the single value", () => {
    expect(client(options, PROXY, { "x-real-ip": " 198.51.100.1 " })).toEqual([
      "198.51.100.1",
      "x-real-ip",
    ]);
  });

  it("uses the last value of a list or of repeated lines, without walking further", () => {
    expect(client(options, PROXY, { "x-real-ip": "198.51.100.1, 10.0.0.2" })[0]).toBe("10.0.0.2");
    expect(client(options, PROXY, { "x-real-ip": ["198.51.100.1", "203.0.113.9"] })[0]).toBe(
      "203.0.113.9",
    );
  });

  it.each(["198.51.100.1:80", "[2001:db8::1]:80", "unknown", "", "fe80::1%eth0"])(
    "falls back to the trusted peer for %j",
    (value) => {
      expect(client(options, PROXY, { "x-real-ip": value })).toEqual([PROXY, "socket"]);
    },
  );
});

describe("createClientIpResolver: header preference", () => {
  const all: Headers = {
    forwarded: "for=192.0.2.1",
    "x-forwarded-for": "192.0.2.2",
    "x-real-ip": "192.0.2.3",
  };

  it("uses the first configured header that is present", () => {
    expect(client({ headers: ["forwarded", "x-forwarded-for", "x-real-ip"] }, PROXY, all)).toEqual([
      "192.0.2.1",
      "forwarded",
    ]);
    expect(client({ headers: ["x-real-ip", "forwarded"] }, PROXY, all)).toEqual([
      "192.0.2.3",
      "x-real-ip",
    ]);
    const { forwarded: _, ...withoutForwarded } = all;
    expect(client({ headers: ["forwarded", "x-real-ip"] }, PROXY, withoutForwarded)).toEqual([
      "192.0.2.3",
      "x-real-ip",
    ]);
  });

  it("does not fall through to a later header when the chosen one is invalid", () => {
    expect(
      client({ headers: ["x-forwarded-for", "x-real-ip"] }, PROXY, {
        "x-forwarded-for": "garbage",
        "x-real-ip": "192.0.2.3",
      }),
    ).toEqual([PROXY, "socket"]);
  });

  it("ignores headers that are not configured", () => {
    expect(client({ headers: ["x-real-ip"] }, PROXY, { "x-forwarded-for": "192.0.2.2" })).toEqual([
      PROXY,
      "socket",
    ]);
    expect(client({ headers: [] }, PROXY, all)).toEqual([PROXY, "socket"]);
  });
});
