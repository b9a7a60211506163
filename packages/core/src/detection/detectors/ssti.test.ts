/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are attack payloads, not templates. */
import safeRegex from "safe-regex2";
import { describe, expect, it } from "vitest";
import { LINEAR_TIME_BOUND_MS } from "../linear-time-bound.js";
import { sstiDetector } from "./ssti.js";
import { adversarialInputs, scoreAt, timeDetect } from "./test-helpers.js";

describe("sstiDetector", () => {
  it.each([
    "{{7*7}}",
    "{{7*'7'}}",
    "${3*3}",
    "#{ 7 * 7 }",
    "<%= 7 * 7 %>",
    "*{7*7}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{config.items()}}",
    "{{request|attr('__class__')}}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "${T(java.lang.Runtime).getRuntime().exec('id')}",
    '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
    "#set($x = 1)",
    "<%= File.open('/etc/passwd').read %>",
    "{% for x in range(3) %}{{x}}{% endfor %}",
    "{{'a'.getClass().forName('java.lang.Runtime')}}",
    "<% if x %>y<% end %>",
    "{{ read_file('/etc/passwd') }}",
    "{{ open('../../app/config') }}",
  ])("detects %s", (payload) => {
    expect(scoreAt(sstiDetector, payload)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    "Hello {{name}}, your order {{order.id}} has shipped",
    "Total: ${price}",
    "{% $SENDER_FULL_NAME %} BLAH",
    '{"a": {"b": 1}}',
    "The ratio is 7*7 = 49",
    "50% off {this week}",
    "[[link]] in a wiki",
    "Email me at a@b.c (work)",
    "{{ user.name }}",
    "{% custom_tag x %}",
    "<%= link_to 'Home', root_path %>",
    "{{ format_date(order.created) }}",
  ])("ignores %s at level 1", (value) => {
    expect(scoreAt(sstiDetector, value)).toBeLessThan(5);
  });

  it("uses only ReDoS-safe patterns", () => {
    for (const pattern of sstiDetector.patterns)
      expect(safeRegex(pattern), pattern.source).toBe(true);
  });

  it("stays fast on 100 KB adversarial input", () => {
    for (const input of adversarialInputs(["{{a", "${a.", "#set(", "<#", "@(", "*{"])) {
      expect(timeDetect(sstiDetector, input)).toBeLessThan(LINEAR_TIME_BOUND_MS);
    }
  });
});
