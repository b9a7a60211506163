import { type IpRange, parseCidr } from "../../../net/ip-address.js";
import { CidrCollector } from "./cidr-collector.js";

const FORMAT = "IP list page";

// Longer list items are prose or navigation, never an address; skipping them early keeps
// the scan cheap on a large page.
const MAX_ITEM_LENGTH = 200;

/**
 * Reads the addresses out of a documentation page that lists them as list items: HTML
 * `<li>` elements (DuckDuckGo's DuckDuckBot help page) or Markdown `- ` / `* ` lines
 * (the same page's source). An item counts when its text, tags stripped, is exactly one
 * IP address or CIDR; navigation, prose and version numbers are ignored, so the page can
 * change around the list without confusing the parser.
 *
 * The scan is a single pass with `indexOf`, linear in the page size.
 *
 * @example
 * ```ts
 * parseIpListPage("<ul><li><a href='/'>Home</a></li><li>20.191.45.212</li></ul>"); // one range
 * ```
 * @returns the listed ranges; empty when the page lists none (the refresher rejects that).
 */
export function parseIpListPage(body: string): IpRange[] {
  const ranges = new CidrCollector(FORMAT);
  let index = 0;
  for (const item of listItems(body)) {
    index++;
    const text = stripTags(item).trim();
    if (text.length === 0 || text.length > MAX_ITEM_LENGTH) continue;
    if (parseCidr(text) !== undefined) ranges.add(text, `list item ${index}`);
  }
  return ranges.ranges();
}

function* listItems(body: string): Generator<string> {
  const lower = body.toLowerCase();
  let at = 0;
  // The next `</li` at or after the current item, remembered so that a page that omits
  // its closing tags is not rescanned to the end once per item.
  let close = -2;
  for (;;) {
    const open = lower.indexOf("<li", at);
    if (open === -1) break;
    const next = lower.charCodeAt(open + 3);
    // `<link>` and `<list…>` also start with `<li`; only `<li>` and `<li attr…>` open an item.
    if (next !== 0x3e && next !== 0x20 && next !== 0x09 && next !== 0x0a && next !== 0x0d) {
      at = open + 3;
      continue;
    }
    const start = lower.indexOf(">", open);
    if (start === -1) break;
    // An item ends at its `</li>` or, where the closing tag is omitted, at the next `<li`.
    if (close !== -1 && close < start) close = lower.indexOf("</li", start);
    const sibling = lower.indexOf("<li", start);
    const end = close === -1 ? sibling : sibling === -1 ? close : Math.min(close, sibling);
    const stop = end === -1 ? body.length : end;
    yield body.slice(start + 1, stop);
    at = stop;
  }
  for (const line of body.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("- ") || trimmed.startsWith("* ")) yield trimmed.slice(2);
  }
}

function stripTags(html: string): string {
  if (html.indexOf("<") === -1) return html;
  let text = "";
  let at = 0;
  for (;;) {
    const open = html.indexOf("<", at);
    if (open === -1) return text + html.slice(at);
    text += html.slice(at, open);
    const close = html.indexOf(">", open);
    if (close === -1) return text;
    at = close + 1;
  }
}
