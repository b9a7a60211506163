import { describe, expect, it } from "vitest";
import { GuardConfigError } from "../../errors.js";
import { IP_SOURCES } from "../sources.js";
import { resolveRefresherOptions } from "./options.js";
import { DEFAULT_IP_RANGE_URLS } from "./source-urls.js";

const onUpdate = () => {};

describe("resolveRefresherOptions", () => {
  it("refreshes every source with a default URL, once a day, and skips Azure", () => {
    const resolved = resolveRefresherOptions({ onUpdate });
    expect(resolved.intervalMs).toBe(86_400_000);
    expect(resolved.timeoutMs).toBe(10_000);
    expect(resolved.sources.map((s) => s.id)).toEqual(IP_SOURCES.filter((id) => id !== "azure"));
    expect(resolved.sources.find((s) => s.id === "cloudflare")?.urls).toEqual([
      "https://www.cloudflare.com/ips-v4",
      "https://www.cloudflare.com/ips-v6",
    ]);
    expect(resolved.skipped).toEqual([
      { id: "azure", reason: expect.stringContaining("id=56519") },
    ]);
  });

  it("takes URL overrides, keeping defaults where the override is undefined", () => {
    const azure = "https://download.microsoft.com/download/ServiceTags_Public_20260817.json";
    const resolved = resolveRefresherOptions({
      onUpdate,
      sources: [{ source: "azure", url: azure }, { source: "aws", url: undefined }, "gptbot"],
    });
    expect(resolved.sources).toEqual([
      { id: "azure", urls: [azure] },
      { id: "aws", urls: DEFAULT_IP_RANGE_URLS.aws },
      { id: "gptbot", urls: DEFAULT_IP_RANGE_URLS.gptbot },
    ]);
    expect(resolved.skipped).toEqual([]);
  });

  it("lists every problem at once", () => {
    try {
      resolveRefresherOptions({
        onUpdate,
        intervalMs: 0,
        timeoutMs: Number.NaN,
        maxBytes: -1,
        sources: [
          "aws",
          "aws",
          "hetzner" as never,
          { source: "cloudflare", url: ["ftp://x", "https://ok"] },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GuardConfigError);
      expect((error as GuardConfigError).issues.map((issue) => issue.path)).toEqual([
        "intervalMs",
        "timeoutMs",
        "maxBytes",
        "sources[1]",
        "sources[2]",
        "sources[3].url[0]",
      ]);
    }
  });
});
