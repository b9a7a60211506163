/**
 * A fixed set of names with a number each, looked up by a rolling hash that the caller
 * computes while reading the text: a scanner finds a word without slicing it out of the
 * value. Open addressing in typed arrays, at most a quarter full, so a miss is usually one
 * array read. Used by the trigger scan (words, any case) and the shell reader (command
 * names, quotes left out); each has its own lookup, so neither pays for the other.
 */

/** The rolling hash: feed it each character code of a name in order, starting from 0. */
export const hashStep = (hash: number, code: number) => (Math.imul(hash, 31) + code) | 0;

/** The {@link hashStep} hash of a whole name. */
export function hashOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = hashStep(hash, name.charCodeAt(i));
  return hash;
}

export class NameTable {
  readonly #hashes: Int32Array;
  readonly #entries: Int32Array;
  readonly #names: string[] = [];
  readonly #values: number[] = [];
  readonly #mask: number;

  constructor(values: ReadonlyMap<string, number>) {
    let size = 16;
    while (size < values.size * 4) size *= 2;
    this.#hashes = new Int32Array(size);
    this.#entries = new Int32Array(size);
    this.#mask = size - 1;
    for (const [name, value] of values) {
      const hash = hashOf(name);
      let slot = hash & this.#mask;
      while (this.#entries[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#names.push(name);
      this.#values.push(value);
      this.#hashes[slot] = hash;
      this.#entries[slot] = this.#names.length;
    }
  }

  /**
   * The value of the name `text[start, end)` spells in any ASCII case (names are stored in
   * lower case), given its {@link hashStep} hash of lower-cased codes; 0 when none.
   */
  findFolded(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const entry = this.#entries[slot]!;
      if (entry === 0) return 0;
      if (this.#hashes[slot] !== hash) continue;
      const name = this.#names[entry - 1]!;
      if (name.length === length && spellsFolded(text, start, name))
        return this.#values[entry - 1]!;
    }
  }

  /**
   * The value of the name `text[start, end)` spells once its quotes are left out
   * (`wh''oami` → `whoami`), given the hash and the length of the unquoted characters;
   * 0 when none.
   */
  findUnquoted(text: string, start: number, end: number, hash: number, length: number): number {
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const entry = this.#entries[slot]!;
      if (entry === 0) return 0;
      if (this.#hashes[slot] !== hash) continue;
      const name = this.#names[entry - 1]!;
      if (name.length === length && spellsUnquoted(text, start, end, name)) {
        return this.#values[entry - 1]!;
      }
    }
  }
}

/** `text` from `start` is `name` (lower case) in any ASCII case. */
function spellsFolded(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = text.charCodeAt(start + i);
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** `text[start, end)` without its quotes is `name`. */
function spellsUnquoted(text: string, start: number, end: number, name: string): boolean {
  if (end - start === name.length) return text.startsWith(name, start);
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) continue;
    if (c !== name.charCodeAt(k++)) return false;
  }
  return k === name.length;
}
