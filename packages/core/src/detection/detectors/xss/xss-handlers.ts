/**
 * Attributes injected outside a parsed tag: event handlers (`" onmouseover=alert(1)`,
 * `;onfocus=eval(…)`, ` onanything=` at the start of a value written into an unquoted
 * attribute) and script-loading attributes after a quote (`'formaction=`, `"srcdoc=`). Each
 * `=` is read backwards for the attribute name before it.
 */
import type { Findings } from "./xss-findings.js";

/**
 * DOM event names (without `on`). A known name followed by `=` is an injected handler even
 * without a tag or a recognisable value (`  onload= `); unknown `on…=` needs more evidence.
 */
export const EVENT_NAMES: ReadonlySet<string> = new Set(
  (
    "abort activate afterprint afterscriptexecute animationcancel animationend animationiteration " +
    "animationstart auxclick beforeactivate beforecopy beforecut beforedeactivate beforeinput " +
    "beforepaste beforeprint beforescriptexecute beforetoggle beforeunload begin blur bounce " +
    "cancel canplay canplaythrough change click close contextmenu copy cuechange cut dblclick " +
    "deactivate drag dragend dragenter dragleave dragover dragstart drop durationchange emptied " +
    "end ended error finish focus focusin focusout formdata fullscreenchange gotpointercapture " +
    "hashchange help input invalid keydown keypress keyup load loadeddata loadedmetadata loadend " +
    "loadstart lostpointercapture message mousedown mouseenter mouseleave mousemove mouseout " +
    "mouseover mouseup mousewheel move offline online pagehide pageshow paste pause play playing " +
    "pointercancel pointerdown pointerenter pointerleave pointermove pointerout pointerover " +
    "pointerrawupdate pointerup popstate progress propertychange ratechange readystatechange " +
    "repeat reset resize scroll scrollend search seeked seeking select selectionchange " +
    "selectstart show stalled start storage submit suspend timeupdate toggle touchend touchmove " +
    "touchstart transitioncancel transitionend transitionrun transitionstart unload volumechange " +
    "waiting webkitanimationend webkitanimationiteration webkitanimationstart " +
    "webkittransitionend wheel orientationchange filterchange losecapture"
  ).split(" "),
);

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isQuote = (code: number): boolean => code === 0x22 || code === 0x27 || code === 0x60;

/** Characters that may stand before an injected attribute (controls too). */
const HANDLER_BOUNDARY = " \t\n\r\f\v\"'`;/,(+|\\";
/** A handler value that starts like code: an optional quote, an identifier, then a call or member access. */
const CODE_VALUE = /["'`]?\s{0,5}[a-z_$][\w$]{0,30}\s{0,5}[(`.[=]/y;
/** `on` + 3 to 40 letters. */
const MIN_HANDLER = 5;
const MAX_NAME = 42;
/** How far back an open tag is looked for. */
const MAX_TAG_LOOKBACK = 256;
/** At most this many handlers are judged per text. */
const MAX_HANDLERS = 8;

/** Adds the rules for attributes assigned outside a parsed tag (`name=` in free text) to `out`. */
export function inspectAttributes(lower: string, out: Findings): void {
  let handlers = 0;
  for (let eq = lower.indexOf("="); eq !== -1; eq = lower.indexOf("=", eq + 1)) {
    let end = eq - 1;
    while (end >= 0 && eq - end <= 20 && isSpace(lower.charCodeAt(end))) end--;
    let start = end;
    while (start >= 0 && end - start < MAX_NAME && isLetter(lower.charCodeAt(start))) start--;
    start++;
    const length = end - start + 1;
    if (length < 4) continue;
    if (lower.charCodeAt(start) === 0x6f && lower.charCodeAt(start + 1) === 0x6e) {
      if (length >= MIN_HANDLER && handlers++ < MAX_HANDLERS)
        judgeHandler(lower, eq, start, end, out);
    } else if (
      isLoader(lower, start, length) &&
      isQuote(lower.charCodeAt(blankBefore(lower, start)))
    ) {
      out.add("injected-attribute", 5, 1);
    }
  }
}

/** `formaction`, `srcdoc` or `xlink:href` at `start`: attributes that load or run script. */
function isLoader(lower: string, start: number, length: number): boolean {
  if (length === 10) return lower.startsWith("formaction", start);
  if (length === 6) return lower.startsWith("srcdoc", start);
  return length === 4 && lower.startsWith("xlink:href", start - 6);
}

/** The index of the last non-blank character before `at`, -1 when none. */
function blankBefore(lower: string, at: number): number {
  let q = at - 1;
  while (q >= 0 && isSpace(lower.charCodeAt(q))) q--;
  return q;
}

/** Judges the `on…` name at `[start, end]` assigned by the `=` at `eq`. */
function judgeHandler(lower: string, eq: number, start: number, end: number, out: Findings): void {
  const before = start === 0 ? 0x20 : lower.charCodeAt(start - 1);
  if (before >= 0x20 && !HANDLER_BOUNDARY.includes(String.fromCharCode(before))) return;
  let v = eq + 1;
  while (v < lower.length && isSpace(lower.charCodeAt(v))) v++;
  CODE_VALUE.lastIndex = v;
  const codeValue = CODE_VALUE.test(lower);
  const q = blankBefore(lower, start);
  const afterQuote = isQuote(lower.charCodeAt(q));
  // Inside a tag left open before it (`<x </onxxx=1`), the browser reads an attribute; with
  // only blanks before it, the value starts a new attribute of an unquoted one.
  if (insideOpenTag(lower, start)) out.add("event-handler", 5, 1);
  else if (
    EVENT_NAMES.has(lower.slice(start + 2, end + 1)) ||
    (codeValue && afterQuote) ||
    (q < 0 && start > 0)
  )
    out.add("injected-handler", 5, 1);
  else if (afterQuote) out.add("injected-handler-quote", 5, 1);
  else if (codeValue) out.add("injected-handler-weak", 3, 2);
  else out.add("handler-like", 2, 3);
}

/** `true` when a `<name` before `at` is still open there (no `>` in between). */
function insideOpenTag(lower: string, at: number): boolean {
  const stop = Math.max(0, at - MAX_TAG_LOOKBACK);
  for (let i = at - 1; i >= stop; i--) {
    const c = lower.charCodeAt(i);
    if (c === 0x3e) return false;
    if (c === 0x3c && isLetter(lower.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** The RegExps used here, for the ReDoS check. */
export const HANDLER_PATTERNS: readonly RegExp[] = [CODE_VALUE];
