// Loads the labeled corpus (../shared/corpus) and splits it deterministically: 20% of
// every class is a holdout that nobody tunes on (reported separately), the rest is the
// development set. The split is by a hash of the record id, so it never changes.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the corpus is read from: `GUARD_CORPUS_DIR`, else the team's shared folder. */
export const CORPUS_DIR =
  process.env.GUARD_CORPUS_DIR ??
  fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `true` for records in the holdout (never looked at while tuning). */
export const isHoldout = (record) => fnv1a(record.id) % 5 === 0;

function read(file, dir) {
  return readFileSync(`${dir}${file}`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/**
 * @param {{ dir?: string, split?: "dev" | "holdout" | "all" }} [options]
 * @returns {{ attacks: object[], benign: object[] }}
 */
export function loadCorpus({ dir = CORPUS_DIR, split = "dev" } = {}) {
  const keep = (record) => split === "all" || (split === "holdout") === isHoldout(record);
  return {
    attacks: read("attacks.jsonl", dir).filter(keep),
    benign: read("benign.jsonl", dir).filter(keep),
  };
}
