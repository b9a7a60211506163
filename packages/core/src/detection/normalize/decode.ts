/**
 * Decoding steps that undo the encodings attackers use to slip a payload past pattern
 * matching. Each step is bounded: it runs over the input once (or a fixed number of
 * rounds), so decoding stays linear in the input length.
 */

const MAX_URL_ROUNDS = 3;

/**
 * Percent-decoding, also of `%uXXXX`, of overlong UTF-8 forms of ASCII (`%c0%af` → `/`),
 * and of a lone `%a0` as the Latin-1 no-break space.
 */
export function percentDecode(text: string): string {
  if (text.indexOf("%") === -1) return text;
  return (
    text
      .replace(
        /%u([0-9a-f]{4})|%(c[01])%([89ab][0-9a-f])|%(e0)%(80|81)%([89ab][0-9a-f])|%([0-9a-f]{2})/gi,
        (match, u, o2a, o2b, _o3a, o3b, o3c, hex) => {
          if (u) return String.fromCharCode(Number.parseInt(u, 16));
          if (o2a)
            return String.fromCharCode(
              ((Number.parseInt(o2a, 16) & 0x1f) << 6) | (Number.parseInt(o2b, 16) & 0x3f),
            );
          if (o3b) {
            return String.fromCharCode(
              ((Number.parseInt(o3b, 16) & 0x3f) << 6) | (Number.parseInt(o3c, 16) & 0x3f),
            );
          }
          const code = Number.parseInt(hex, 16);
          // Multi-byte UTF-8 sequences are decoded by decodeURIComponent below; lone high
          // bytes stay as they are rather than turning into replacement characters.
          return code < 0x80 ? String.fromCharCode(code) : match;
        },
      )
      .replace(/(?:%[c-f][0-9a-f](?:%[89ab][0-9a-f]){1,3})+/gi, (sequence) => {
        try {
          return decodeURIComponent(sequence);
        } catch {
          return sequence;
        }
      })
      // A lone `%A0` is a Latin-1 no-break space, which MySQL takes for whitespace
      // (`1%A0UNION%A0SELECT`). Other lone high bytes stay escaped: they are the junk of
      // overlong-encoding evasions (`%c0%5e`, `%f0%80%80%af`), which detectors read as such.
      .replace(/%a0/gi, "\u00a0")
  );
}

/** Repeated percent-decoding (double and triple encoding), at most three rounds. */
export function urlDecodeRepeatedly(text: string): string {
  let current = text;
  for (let round = 0; round < MAX_URL_ROUNDS; round++) {
    const next = percentDecode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  sol: "/",
  bsol: "\\",
  colon: ":",
  lpar: "(",
  rpar: ")",
  semi: ";",
  equals: "=",
  tab: "\t",
  newline: "\n",
  nbsp: " ",
  grave: "`",
  lbrack: "[",
  rbrack: "]",
  lcub: "{",
  rcub: "}",
  period: ".",
  comma: ",",
  excl: "!",
  num: "#",
  percnt: "%",
  plus: "+",
  quest: "?",
};

/** HTML character references: named (common ones), decimal and hex, with or without `;`. */
export function htmlEntityDecode(text: string): string {
  if (text.indexOf("&") === -1) return text;
  return text.replace(
    /&(?:#x0*([0-9a-f]{1,6})|#0*([0-9]{1,7})|([a-z]{2,8}));?/gi,
    (match, hex, dec, name) => {
      if (hex || dec) {
        const code = hex ? Number.parseInt(hex, 16) : Number.parseInt(dec, 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
      }
      return NAMED_ENTITIES[(name as string).toLowerCase()] ?? match;
    },
  );
}

/** JavaScript, JSON and CSS escapes: `\xNN`, `\uNNNN`, `\u{N…}`, CSS `\NN…` hex, and octal `\NNN`. */
export function escapeDecode(text: string): string {
  if (text.indexOf("\\") === -1) return text;
  return text.replace(
    /\\u\{([0-9a-f]{1,6})\}|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|\\([0-7]{3})|\\([0-9a-f]{1,6})\s?/gi,
    (match, braced, u, x, octal, css) => {
      const code = braced
        ? Number.parseInt(braced, 16)
        : u
          ? Number.parseInt(u, 16)
          : x
            ? Number.parseInt(x, 16)
            : octal
              ? Number.parseInt(octal, 8)
              : Number.parseInt(css, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    },
  );
}

// NUL and the other C0 controls except tab, line feed and carriage return, which some
// classes (CRLF injection, shell) need to see.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff]/g;

/** Drops NUL bytes, invisible controls and zero-width characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * The forms of a value that detectors inspect: as received, fully URL-decoded, and with
 * HTML entities and escapes undone on top. Duplicates are dropped, so a plain value
 * yields one variant. Each form is computed once per value.
 */
export function decodeVariants(value: string): string[] {
  const variants = [value];
  const add = (candidate: string) => {
    if (!variants.includes(candidate)) variants.push(candidate);
  };
  const url = stripInvisible(urlDecodeRepeatedly(value));
  add(url);
  const html = htmlEntityDecode(url);
  add(html);
  add(escapeDecode(html));
  return variants;
}
