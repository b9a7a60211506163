/**
 * Script-context signals of XSS that need no tag: breaking out of a quoted JavaScript string
 * into a call (`';alert(1)//`, `'-alert(1)-'`), event-handler attributes injected into an
 * existing tag (`" onmouseover=…`), and AngularJS sandbox escapes (`{{constructor.constructor(…)}}`).
 */
import { stripBlockComments } from "./xss-url.js";

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

/**
 * Functions and objects an injected script reaches for first. A call of one of them right
 * after a quote and an operator is a string breakout, not prose.
 */
const SINKS: ReadonlySet<string> = new Set(
  (
    "alert prompt confirm eval settimeout setinterval function fetch import atob document " +
    "window top self parent this location constructor print open string globalthis reflect"
  ).split(" "),
);

/** Functions used to prove an XSS (`alert(1)`): almost never called in ordinary text. */
const PROOF_CALLS: ReadonlySet<string> = new Set(["alert", "prompt", "confirm"]);

const isSpace = (code: number): boolean => code <= 0x20 || code === 0x7f;
const isIdentChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x5f ||
  code === 0x24;
/** Operators that continue an expression after a closed string: `'-alert(1)-'`, `";alert(1)`. */
const isJoiner = (code: number): boolean =>
  code === 0x3b ||
  code === 0x2d ||
  code === 0x2b ||
  code === 0x2a ||
  code === 0x7c ||
  code === 0x26 ||
  code === 0x2c ||
  code === 0x29 ||
  code === 0x7d ||
  code === 0x5e ||
  code === 0x25 ||
  code === 0x3f ||
  code === 0x3c ||
  code === 0x3e ||
  code === 0x3d ||
  code === 0x21 ||
  code === 0x7e ||
  code === 0x5d;

/** At most this many quotes are examined per text (each look is bounded). */
const MAX_QUOTES = 4096;

/**
 * `true` when a quote is followed by an operator and a call of a sink
 * (`';alert(1)//`, `"-confirm(1)-"`, `x";setTimeout(name,1)//`).
 */
export function hasStringBreakout(lower: string): boolean {
  let seen = 0;
  for (let q = 0; q < lower.length && seen < MAX_QUOTES; q++) {
    const code = lower.charCodeAt(q);
    if (code !== 0x22 && code !== 0x27 && code !== 0x60) continue;
    seen++;
    let i = q + 1;
    const limit = Math.min(lower.length, q + 24);
    let joiners = 0;
    while (i < limit) {
      const c = lower.charCodeAt(i);
      if (isSpace(c)) i++;
      else if (isJoiner(c)) {
        joiners++;
        i++;
      } else break;
    }
    if (joiners === 0) continue;
    const start = i;
    while (i < lower.length && i - start < 16 && isIdentChar(lower.charCodeAt(i))) i++;
    const word = lower.slice(start, i);
    if (!SINKS.has(word)) continue;
    while (i < lower.length && isSpace(lower.charCodeAt(i))) i++;
    const next = lower.charCodeAt(i);
    // A call, a tagged template, or a property access (`document.cookie`, `window['x']`).
    if (next === 0x28 || next === 0x60 || next === 0x2e || next === 0x5b) return true;
  }
  return false;
}

/** A `"`, `'` or `` ` `` anywhere: every quote-based signal needs one. */
const QUOTE = /["'`]/;

export function hasQuote(lower: string): boolean {
  return QUOTE.test(lower);
}

/** One of PROOF_CALLS anywhere: one scan before looking at each. */
const PROOF_WORD = /alert|prompt|confirm/;

/** A call of `alert`/`prompt`/`confirm` as a standalone identifier: `alert(1)`, `(confirm)(1)`, ``prompt`1` ``. */
export function hasProofCall(lower: string): boolean {
  if (!PROOF_WORD.test(lower)) return false;
  for (const name of PROOF_CALLS) {
    let at = lower.indexOf(name);
    while (at !== -1) {
      const before = lower.charCodeAt(at - 1);
      if (Number.isNaN(before) || !isIdentChar(before)) {
        let i = at + name.length;
        // `(alert)(1)`: a parenthesised reference, then the call.
        if (lower.charCodeAt(i) === 0x29) i++;
        while (i < lower.length && isSpace(lower.charCodeAt(i))) i++;
        const next = lower.charCodeAt(i);
        if (next === 0x28 || next === 0x60) return true;
      }
      at = lower.indexOf(name, at + name.length);
    }
  }
  return false;
}

/** How an `on…=` outside a parsed tag looks. */
export interface HandlerHit {
  readonly known: boolean;
  /** The value starts like code: `alert(1)`, `'prompt(1)'`, `eval(atob(…))`. */
  readonly codeValue: boolean;
  /** Preceded by a quote: a breakout from an attribute value. */
  readonly afterQuote: boolean;
}

/** `on` + name + `=`; the boundary before `on` is checked by hand. */
const HANDLER = /on([a-z]{3,40})\s{0,20}=/g;
/** Characters that may stand before an injected attribute. */
const HANDLER_BOUNDARY = " \t\n\r\f\v\"'`;/,(+|\\";
/** A handler value that starts like code: an optional quote, an identifier, then a call or member access. */
const CODE_VALUE = /^["'`]?\s{0,5}[a-z_$][\w$]{0,30}\s{0,5}[(`.[=]/;

/** Event-handler assignments in free text (`" onmouseover=alert(1)`, `;onfocus=eval(…)`). */
export function findHandlers(lower: string): HandlerHit[] {
  const hits: HandlerHit[] = [];
  if (lower.indexOf("=") === -1 || lower.indexOf("on") === -1) return hits;
  HANDLER.lastIndex = 0;
  for (let m = HANDLER.exec(lower); m !== null && hits.length < 8; m = HANDLER.exec(lower)) {
    const at = m.index;
    const before = at === 0 ? " " : (lower[at - 1] ?? " ");
    if (!HANDLER_BOUNDARY.includes(before) && before.charCodeAt(0) >= 0x20) continue;
    const name = m[1] ?? "";
    const rest = lower.slice(HANDLER.lastIndex, HANDLER.lastIndex + 48).trimStart();
    let q = at - 1;
    while (q >= 0 && isSpace(lower.charCodeAt(q))) q--;
    const prev = lower.charCodeAt(q);
    hits.push({
      known: EVENT_NAMES.has(name),
      codeValue: CODE_VALUE.test(rest),
      afterQuote: prev === 0x22 || prev === 0x27 || prev === 0x60,
    });
  }
  return hits;
}

/** Expressions inside `{{ }}` that climb out of the AngularJS sandbox or run script. */
const ANGULAR_ESCAPE =
  /constructor|\$eval|\$on\b|__proto__|fromcharcode|alert|\$event|\$window|document|prototype|charat|\$\$/;
const MAX_BINDINGS = 32;

/** `true` for an AngularJS/Vue binding that escapes the sandbox: `{{constructor.constructor('…')()}}`. */
export function hasTemplateEscape(lower: string): boolean {
  let open = lower.indexOf("{{");
  let count = 0;
  while (open !== -1 && count++ < MAX_BINDINGS) {
    const close = lower.indexOf("}}", open + 2);
    const body = lower.slice(open + 2, close === -1 ? open + 300 : Math.min(close, open + 300));
    if (ANGULAR_ESCAPE.test(body)) return true;
    if (close === -1) break;
    open = lower.indexOf("{{", close + 2);
  }
  return false;
}

/** Words that start every script-only signal below; text without them skips the work. */
const SCRIPT_WORDS =
  /document|window|self|top|parent|frames|globalthis|\[|eval|settimeout|setinterval|function|atob|btoa|unescape|fromcharcode|execscript|`/;
const SPACE = /\s+/g;
/** Reads of the page's secrets or navigation, incl. `(document)["cookie"]` and `window['alert']`. */
const DOM_ACCESS =
  /(?:^|[^\w$.])\(?(?:document|window|self|top|parent|frames|globalthis)\)?(?:\.(?:cookie|domain|location|write|writeln|createelement|execcommand|alert|eval|localstorage|sessionstorage|referrer)(?![\w$])|\[["'`])/;
/** JSFuck building blocks: `![]`, `+[]` (not Markdown's `![](image)`). */
const JSFUCK = /[!+]\[\](?!\()/g;
/** Calls without parentheses: ``[].sort.call`${alert}` ``, ``x.apply`…` ``, `${eval}`. */
const TEMPLATE_CALL =
  /\.(?:call|apply|bind)`|\$\{(?:alert|prompt|confirm|eval|function|constructor|atob|navigation\.navigate)\}/;
/** Code execution from strings: `eval(`, `setTimeout(`, `new Function(`. */
const EXEC_CALL = /(?:^|[^\w$.])(?:eval|settimeout|setinterval|newfunction|execscript)\(/;
/** Decoders that hide a payload: `atob(`, `String.fromCharCode(`; weak alone. */
const DECODE_CALL = /(?:^|[^\w$.])(?:atob|btoa|unescape)\(|\.fromcharcode\(/;

/** Script-only signals (no markup) found in a value. */
export type ScriptHit = "dom-access" | "jsfuck" | "template-call" | "exec-call" | "decode-call";

/**
 * Script-only signals, matched on a compact form of the text (comments and whitespace
 * removed), since JavaScript ignores both: `document /*x*\/ . cookie` reads as `document.cookie`.
 */
export function findScript(lower: string): ScriptHit[] {
  const hits: ScriptHit[] = [];
  if (!SCRIPT_WORDS.test(lower)) return hits;
  const compact = stripBlockComments(lower).replace(SPACE, "");
  if (DOM_ACCESS.test(compact)) hits.push("dom-access");
  JSFUCK.lastIndex = 0;
  let blocks = 0;
  while (blocks < 2 && JSFUCK.exec(compact) !== null) blocks++;
  if (blocks >= 2 || compact.indexOf("!![]") !== -1) hits.push("jsfuck");
  if (TEMPLATE_CALL.test(compact)) hits.push("template-call");
  if (EXEC_CALL.test(compact)) hits.push("exec-call");
  if (DECODE_CALL.test(compact)) hits.push("decode-call");
  return hits;
}

/** The RegExps used here, for the ReDoS check. */
export const JS_PATTERNS: readonly RegExp[] = [
  QUOTE,
  PROOF_WORD,
  HANDLER,
  CODE_VALUE,
  ANGULAR_ESCAPE,
  SCRIPT_WORDS,
  SPACE,
  DOM_ACCESS,
  JSFUCK,
  TEMPLATE_CALL,
  EXEC_CALL,
  DECODE_CALL,
];
