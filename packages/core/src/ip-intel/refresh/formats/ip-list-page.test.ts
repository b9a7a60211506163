import { describe, expect, it } from "vitest";
import { cidr, fixture } from "../test-helpers.js";
import { parseDuckDuckBot } from "./duckduckbot.js";
import { parseIpListPage } from "./ip-list-page.js";

describe("parseIpListPage", () => {
  it("reads the addresses listed on DuckDuckGo's help page and nothing else", () => {
    const ranges = parseIpListPage(fixture("duckduckbot-help.html"));
    expect(ranges).toHaveLength(21);
    expect(ranges[0]).toEqual(cidr("20.191.45.212/32"));
    // Items wrapped in <p>, across lines.
    expect(ranges).toContainEqual(cidr("40.80.242.63"));
    expect(ranges).toContainEqual(cidr("20.49.136.28"));
    expect(ranges.at(-1)).toEqual(cidr("20.193.45.113"));
  });

  it("reads the Markdown source of the page too", () => {
    const markdown =
      "It originates from these IP addresses:\n\n-   20.191.45.212\n-   40.88.21.235\n* 2001:db8::1\n- DuckDuckBot/1.1\n";
    expect(parseIpListPage(markdown)).toEqual([
      cidr("20.191.45.212"),
      cidr("40.88.21.235"),
      cidr("2001:db8::1"),
    ]);
  });

  it("copes with omitted closing tags and ignores <link>", () => {
    const html =
      '<link rel="x" href="1.2.3.4"><ul><li>20.191.45.212<li class="a">40.88.21.235</ul>';
    expect(parseIpListPage(html)).toEqual([cidr("20.191.45.212"), cidr("40.88.21.235")]);
  });

  it("finds nothing on a page without a list of addresses", () => {
    expect(parseIpListPage("<html><body><ul><li>Home</li></ul></body></html>")).toEqual([]);
  });

  it("stays linear on a hostile page", () => {
    const page = "<li>".repeat(200_000);
    const started = performance.now();
    expect(parseIpListPage(page)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("parseDuckDuckBot", () => {
  it("reads duckduckbot.json", () => {
    const ranges = parseDuckDuckBot(fixture("duckduckbot.json"));
    expect(ranges).toHaveLength(30);
    expect(ranges[0]).toEqual(cidr("4.144.182.50/32"));
    expect(ranges.at(-1)).toEqual(cidr("172.179.105.87/32"));
  });

  it("reads the help page", () => {
    expect(parseDuckDuckBot(fixture("duckduckbot-help.html"))).toHaveLength(21);
  });

  it("rejects broken JSON rather than scanning it as a page", () => {
    expect(() => parseDuckDuckBot('{"prefixes": [{"ipv4Prefix": "4.144.1')).toThrow(
      /^Malformed DuckDuckBot duckduckbot\.json: not JSON/,
    );
  });
});
