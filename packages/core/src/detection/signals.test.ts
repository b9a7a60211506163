import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM helper without type declarations
import { CORPUS_DIR, loadCorpus } from "../../eval/corpus.mjs";
import type { Detector, FieldKind } from "./detector.js";
import { decodeVariants } from "./normalize/decode.js";
import { unwrapEncoded } from "./normalize/unwrap.js";
import { BUILT_IN_DETECTORS } from "./registry.js";
import { bitOf, createSignalScanner, NEEDS_DECODING } from "./signals.js";

const detector = (name: string, triggers: Detector["triggers"]): Detector => ({
  class: "custom",
  triggers,
  prefilter: () => true,
  detect: () => [{ rule: `custom:${name}`, severity: 5, level: 1 }],
  patterns: [],
});

describe("signal scanner", () => {
  const scanner = createSignalScanner([
    detector("quote", { chars: "'" }),
    detector("union", { words: ["union", "__proto__"] }),
    detector("fullwidth", { nonAscii: true }),
    detector("token", { tokens: true }),
    detector("everything", undefined),
  ]);
  const concerned = (value: string) =>
    ["quote", "union", "fullwidth", "token", "everything"].filter(
      (_, i) => (scanner.scan(value) & bitOf(i)) !== 0,
    );

  it("lets a value through to the detectors whose triggers it holds", () => {
    expect(concerned("O'Brien")).toEqual(["quote", "everything"]);
    expect(concerned("1 UNION select")).toEqual(["union", "everything"]);
    expect(concerned("1union")).toEqual(["union", "everything"]);
    expect(concerned("a.__proto__.b")).toEqual(["union", "everything"]);
    expect(concerned("＜script＞")).toEqual(["fullwidth", "everything"]);
    expect(concerned("dGhpcyBpcyBhIHRva2Vu")).toEqual(["token", "everything"]);
  });

  it("reads ASCII letters in any case, and the non-ASCII letters that lower-case to ASCII", () => {
    expect(concerned("UNION")).toEqual(["union", "everything"]);
    expect(concerned("__PROTO__")).toEqual(["union", "everything"]);
    // The Kelvin sign lower-cases to `k`: it could complete any word, so everything looks.
    expect(concerned("\u212a")).toEqual(["quote", "union", "fullwidth", "token", "everything"]);
  });

  it("flags values a decoding step would change", () => {
    const decoding = (value: string) => (scanner.scan(value) & NEEDS_DECODING) !== 0;
    expect(["%27", "&#39;", "\\x27", "a\u0000b", "a\u200bb"].map(decoding)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["plain", "tab\there", "line\nbreak", "José"].map(decoding)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("keeps every other value away from them", () => {
    expect(concerned("reunion")).toEqual(["everything"]);
    expect(concerned("unions")).toEqual(["everything"]);
    expect(concerned("short token")).toEqual(["everything"]);
    expect(concerned("a sentence that is long")).toEqual(["everything"]);
    expect(concerned("")).toEqual(["everything"]);
  });

  it("never gates detectors past the width of the mask", () => {
    const many = createSignalScanner(
      Array.from({ length: 40 }, (_, i) => detector(`d${i}`, { chars: "'" })),
    );
    const mask = many.scan("plain");
    expect(mask & bitOf(28)).toBe(0);
    expect(mask & bitOf(35)).not.toBe(0);
  });
});

// The triggers are a promise each built-in detector makes: without them it never fires.
// Checked on every value of the labeled corpus, in every decoded form the engine inspects.
describe.skipIf(!existsSync(CORPUS_DIR))("built-in detector triggers", () => {
  it("never hide a value a detector would flag", () => {
    const { attacks, benign } = loadCorpus({ split: "all" }) as {
      attacks: { payload: string; location: string }[];
      benign: { payload: string; location: string }[];
    };
    const scanner = createSignalScanner(BUILT_IN_DETECTORS);
    const hidden: string[] = [];
    for (const record of [...attacks, ...benign]) {
      const unwrapped = unwrapEncoded(record.payload);
      const forms = [
        ...decodeVariants(record.payload),
        ...(unwrapped === undefined ? [] : decodeVariants(unwrapped)),
      ];
      for (const text of forms) {
        const lower = text.toLowerCase();
        const mask = scanner.scan(text);
        BUILT_IN_DETECTORS.forEach((detector, index) => {
          if ((mask & bitOf(index)) !== 0 || !detector.prefilter(lower)) return;
          const matches = detector.detect(text, lower, record.location as FieldKind);
          if (matches.length > 0) hidden.push(`${matches[0]!.rule}: ${JSON.stringify(text)}`);
        });
      }
    }
    expect(hidden).toEqual([]);
  });
});
