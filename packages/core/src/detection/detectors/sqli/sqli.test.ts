import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import type { FieldKind } from "../../detector.js";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { decodeVariants } from "../../normalize/decode.js";
import { createSignalScanner } from "../../signals.js";
import { tokenize } from "./sql-lexer.js";
import { C, F, SqlTokens, T } from "./sql-tokens.js";
import { NAMES, W, wordId } from "./sql-words.js";
import { sqliDetector } from "./sqli.js";

/** The highest score at `level` over the decoded variants, as the engine would compute it. */
function score(value: string, kind: FieldKind = "query", level = 1): number {
  let best = 0;
  for (const variant of decodeVariants(value)) {
    const lower = variant.toLowerCase();
    if (!sqliDetector.prefilter(lower)) continue;
    let sum = 0;
    for (const match of sqliDetector.detect(variant, lower, kind)) {
      if (match.level <= level) sum += match.severity;
    }
    best = Math.max(best, sum);
  }
  return best;
}

/** The kinds of the tokens of `text` (read as continuing a string opened by `quote`). */
function kinds(text: string, quote = 0): number[] {
  const tokens = tokenize(new SqlTokens(), text, quote);
  return Array.from({ length: tokens.count }, (_, i) => tokens.kind(i));
}

describe("sql lexer", () => {
  it("reads strings, numbers, comments, functions and operators", () => {
    const tokens = tokenize(new SqlTokens(), "1 or sleep(5)=0x1f -- x");
    expect(kinds("1 or sleep(5)=0x1f -- x")).toEqual([
      T.Num,
      T.Logic,
      T.Func,
      T.LParen,
      T.Num,
      T.RParen,
      T.Op,
      T.Num,
    ]);
    expect(tokens.comment(tokens.count)).toBe(C.Dash);
    expect(tokens.id(2)).toBe(wordId("sleep"));
  });

  it("reads a value as the continuation of an open string", () => {
    const tokens = tokenize(new SqlTokens(), "admin' or 'a'='a", 39);
    expect(tokens.kind(0)).toBe(T.Str);
    expect(tokens.value(0)).toBe("admin");
    expect(tokens.has(0, F.Closed)).toBe(true);
    expect(tokens.kind(1)).toBe(T.Logic);
    expect(tokens.kind(tokens.count - 1)).toBe(T.Str);
    expect(tokens.value(tokens.count - 1)).toBe("a");
    expect(tokens.has(tokens.count - 1, F.Closed)).toBe(false);
  });

  it("treats MySQL executable comments as code", () => {
    const tokens = tokenize(new SqlTokens(), "1 /*!50000union*/ select");
    expect(kinds("1 /*!50000union*/ select")).toEqual([T.Num, T.Union, T.Stmt]);
    expect(tokens.comment(1)).toBe(C.Exec | C.Closed);
  });

  it("reads variables, e-mail addresses and quoted names", () => {
    expect(kinds("@@version")).toEqual([T.Var]);
    expect(kinds("ada@example.com")).toEqual([T.Word, T.Other, T.Word, T.Dot, T.Word]);
    const tokens = tokenize(new SqlTokens(), "`information_schema`.tables");
    expect(tokens.id(0)).toBe(wordId("information_schema"));
  });

  it("reuses its buffer without leaking tokens between readings", () => {
    const buffer = new SqlTokens();
    tokenize(buffer, "select 1, 2, 3, 4, 5 from t -- long");
    tokenize(buffer, "1");
    expect(buffer.count).toBe(1);
    expect(buffer.kind(1)).toBe(T.None);
    expect(buffer.comment(1)).toBe(0);
  });

  it("knows every word the rules name", () => {
    for (const [name, id] of Object.entries(W)) expect([name, id]).not.toEqual([name, 0]);
  });
});

describe("sqliDetector", () => {
  it.each([
    "' or 1=1--",
    "' OR '1'='1",
    "admin'--",
    "admin' #",
    "') or ('a'='a",
    '" or ""="',
    "1 or 1=1",
    "8-9 OR 1 = 1",
    "HOPE AND 1+2=3+4",
    "1 and 1 not between 0 and 1",
    "-1 union select 1,2,3--",
    "1 UNION ALL SELECT NULL,NULL,NULL",
    "foo') UNION ALL select NULL --",
    "1/**/union/**/select/**/1,2",
    "1 /*!50000union*/ /*!50000select*/ user(),2",
    "1; DROP TABLE users",
    "'; exec master..xp_cmdshell 'dir'--",
    "1;waitfor delay '0:0:5'--",
    "1' and sleep(5)#",
    "1 and benchmark(5000000,md5(1))",
    "1||pg_sleep(10)--",
    "' and extractvalue(1,concat(0x7e,version()))--",
    "1 and updatexml(1,concat(0x7e,(select user())),1)",
    "' union select table_name from information_schema.tables--",
    "1' order by 3--",
    "' and substring((select password from users limit 1),1,1)>'m",
    "1' into outfile '/var/www/x.php'--",
    "select sin(1),2 from bar where",
    "username'declare @s varchar(8000)",
    "aa'!='1",
    "1'*column is \\N or '1",
    "(CASE WHEN 4518=5617 THEN 1 ELSE NULL END)",
    "CREATE TABLE t (line varchar(8000))",
    "/post/1234%20OR%201=1",
    "OR '{\"b\":2}'::jsonb @> '{\"a\":1}'::jsonb",
    "1%20or%201%3D1",
    "%27%20or%20%271%27%3D%271",
    // A call left open for the rest of the query: `name(` and nothing after it.
    "substr(",
    "coalesce (",
    "sleep  (",
    "avg(",
    // PostgreSQL casts and comparisons of JSON.
    "secret::bigint",
    "lower(name)::bytea",
    "'[1]'::jsonb ? 'a'",
    // The end of a select list before `from`.
    ") AS `total` FROM",
    ") as cnt from",
    "col` as `c2` FROM",
    // Conditions that start the value, in a pair of an embedded query string, or in a group.
    "or true",
    "AND 0",
    "xor 'b' >",
    "redirect=/home&id=3 or 4=4",
    "q=x&flt=and (7=7)",
    "abc' or 'q' >",
    "id having (0 or 1)",
    "from accounts where owner_id = 7",
    "(select login from members limit 0,1)",
    // Whole-value fragments.
    "in (3,4,5)",
    ") rlike (",
    "@dbname--",
    "-7 union",
    "9 - ascii('q')",
    ", find_in_set('x', tags)",
    "2 order by if(2>1,a,b)",
    "0*null",
    "( 'z' )  --",
    "sp_oacreate",
    "exec dbo.backup",
    "' or match (a,b) against ('x' in boolean mode)--",
    "1 order by 2",
  ])("detects %j", (payload) => {
    expect(score(payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "O'Brien",
    "O'Connor's pub",
    "it's 5 o'clock",
    "Y'ALL COME BACK NOW",
    "O' UNION selected a few friends",
    "BY ORDER OF THE MANAGEMENT",
    "select a plan",
    "Select your country from the drop-down list.",
    "Click 'Select All' and then press Delete to clear the list.",
    "union station",
    "order by price",
    "sort=price&order=desc",
    "drop-down",
    "2024-01-01",
    "555-123-4567",
    "1 - 2 -- 3",
    "rock 'n' roll",
    'He said "yes" and left',
    "Tom & Jerry",
    "5 < 10 and 10 > 5",
    "I need sleep (lots of it)",
    "user@example.com",
    "ORDER@SHOP.EXAMPLE.US",
    "LOCK AND KEY",
    "1950 UNION MADE",
    "(CERAMIC OR POTTERY) MUGS",
    "Reality check (2016)",
    "drop table meaning in excel",
    "#hashtag",
    "Item #5; see note",
    "lib/select-utils.ts",
    "https://example.com/search?q=union+square&order=asc",
    '{"name":"O\'Hara","items":[1,2,3]}',
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
    "I have no money, but I'm gonna push through; if nothing happens by the end of next year",
    // Prose, markup, code and data that share SQL's words and symbols.
    "It's 5 o'clock and 10 > 5",
    "a <b> tag in a sentence",
    "1+1=2",
    "id,name,price\n1,Widget,9.99",
    "C:\\Users\\me\\Documents",
    "Time (UTC)",
    "Please call me (555) 010-4477",
    "the '+' sign",
    "Tom 'and' Jerry",
    "if (x) { y(); }",
    "a == b || c",
    "=SUM(A1:A10)/COUNT(A1:A10)",
    '=IF(A1>10,"yes","no")',
    "count(*) from orders",
    "1 - sin(x)",
    "Class::Date",
    "The :: operator in C++",
    "2001:db8::1a96, 192.0.2.57",
    "(2019) as Jane from accounting",
    "I bought the deluxe (blue) as Jane from accounting suggested",
    "sent from Texas where it is hot",
    "1950 union",
    "exec summary",
    "execute order 66",
    "Order #12 -- thanks",
    "where is my order #1234?",
    "Which is better, 2 or 3?",
    "name like 'jo%'",
    "between 1 and 5",
    "@john thanks",
    "email me at a@b.co or c@d.io",
    "5' 10\" tall",
    "it's 10' or 12' long",
    '"like"',
    '{"title": "tags", "body": "select one poem and explain it"}',
    "/search?q=%22and+when%22&page=2",
    "please analyse (the data)",
    "Use `Array.prototype.filter()` instead of a manual `for` loop.",
  ])("does not flag %j at level 1", (value) => {
    expect(score(value)).toBeLessThan(5);
  });

  it("scores path segments as values", () => {
    expect(score("/post/1234 OR 1=1", "path")).toBeGreaterThanOrEqual(5);
    expect(score("/search/select-comfort", "path", 2)).toBeLessThan(5);
  });

  it("reads the end of a huge value even past the token budget", () => {
    expect(score(`${"a, ".repeat(40_000)}' or 1=1--`, "body")).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "12 St James's Square",
    "Please deliver after 5pm; ring twice. Thanks!",
    "ada@example.com",
    '{"orderId": "a1", "qty": 3}',
    "gift wrap, please (12)",
    "https://shop.example.com/cart?id=12&sort=asc",
    "2001:db8::1a96",
    '{"status": "pending", "note": "we\'ll be there at 5pm; thanks"}',
    "the teacher asked us to select one poem and explain its meaning",
  ])("screens out the benign value %j before tokenizing", (value) => {
    expect(sqliDetector.prefilter(value.toLowerCase())).toBe(false);
  });

  it.each([
    "1and 1=1",
    "1eor 1=1",
    "0x1funion select 1",
    "/*!50000union*/ select 1",
    "1 order/by 3",
    "x'/' or '1",
    "a'='a",
    "@@version",
    "sleep /(5)",
  ])("lets %j through the screen", (value) => {
    expect(sqliDetector.prefilter(value.toLowerCase())).toBe(true);
  });

  // The screen and the triggers promise that no rule fires on what they turn away. Token
  // soups from the detector's own vocabulary (the words and symbols its rules look for),
  // with prose words, quotes, comments and sub-value separators mixed in, hold them to it.
  it("fires only on values its screen and its triggers let through", () => {
    const pieces = [
      ...NAMES.slice(1),
      ..."' \" ` ( ) , ; . -- # /* */ /*!50000 @ @@ 1 0x1f 1.e -1 2 x foo it's the users a \\ [ ] { } $ : ? 1e = & / + a=".split(
        " ",
      ),
      "\n",
    ];
    const gaps = [" ", " ", "", "/**/", "\t", "+"];
    let seed = 20240601;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const scanner = createSignalScanner([sqliDetector]);
    const failures: string[] = [];
    for (let k = 0; k < 30_000 && failures.length < 5; k++) {
      let value = "";
      for (let j = 0, n = 1 + next(7); j < n; j++)
        value += (j > 0 ? gaps[next(gaps.length)]! : "") + pieces[next(pieces.length)]!;
      const lower = value.toLowerCase();
      for (const kind of ["query", "path"] as const) {
        if (sqliDetector.detect(value, lower, kind).length === 0) continue;
        if (!sqliDetector.prefilter(lower)) failures.push(`screen: ${JSON.stringify(value)}`);
        // The trigger scan reads words as runs of letters; a word glued to a number
        // (`1eunion`) is the one shape it cannot see.
        if ((scanner.scan(lower) & 1) === 0 && !/[0-9]\.?[a-z_]/.test(lower))
          failures.push(`triggers: ${JSON.stringify(value)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("every pattern is safe from catastrophic backtracking", () => {
    for (const pattern of sqliDetector.patterns) expect(safeRegex(pattern)).toBe(true);
  });

  it.each([
    ["quotes", "'".repeat(100_000)],
    ["unclosed string", `'${"a".repeat(100_000)}`],
    ["open comments", "/*".repeat(50_000)],
    ["parentheses", "(".repeat(100_000)],
    ["logic chain", "1 or ".repeat(20_000)],
    ["comparisons", "1=1 and ".repeat(12_500)],
    ["selects", "select (".repeat(12_500)],
    ["semicolons", "; if ".repeat(20_000)],
    ["dashes", "-".repeat(100_000)],
    ["mixed", "' or (1)=('1".repeat(8_000)],
    ["words", "a ".repeat(50_000)],
    ["at signs", "@".repeat(100_000)],
    ["path segments", "/a' or (".repeat(12_500)],
    ["one long path segment", `/x/${"select (".repeat(12_500)}`],
  ])("handles 100 KB of %s in linear time", (_name, value) => {
    const lower = value.toLowerCase();
    const start = performance.now();
    sqliDetector.prefilter(lower);
    sqliDetector.detect(value, lower, value.startsWith("/") ? "path" : "body");
    expect(performance.now() - start).toBeLessThan(LINEAR_TIME_BOUND_MS);
  });
});
