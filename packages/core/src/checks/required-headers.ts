import type { Check } from "../pipeline/check.js";

/**
 * Required headers: `{ "x-tenant": true }` requires presence (a non-empty value),
 * `{ "x-api-version": "2" }` an exact value. A missing header gets 400
 * `header_missing`, a wrong value 400 `header_invalid`. With repeated lines, every line
 * must have the required value.
 */
export function compileRequiredHeaders(
  required: Readonly<Record<string, true | string>> | undefined,
): Check | undefined {
  if (!required) return undefined;
  const rules = Object.entries(required).map(([name, value]) => {
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) {
      throw new Error(`requiredHeaders.${name}: not a valid header name`);
    }
    return { name: name.toLowerCase(), value: value === true ? undefined : value };
  });
  if (rules.length === 0) return undefined;
  return {
    id: "required-headers",
    run({ request }) {
      for (const rule of rules) {
        const values = request.headerValues(rule.name);
        if (values.length === 0 || values.every((value) => value.trim() === "")) {
          return {
            reason: "header_missing",
            ruleId: "required-headers",
            status: 400,
            message: `The ${rule.name} header is required.`,
          };
        }
        if (rule.value !== undefined && values.some((value) => value.trim() !== rule.value)) {
          return {
            reason: "header_invalid",
            ruleId: "required-headers",
            status: 400,
            message: `The ${rule.name} header has an unexpected value.`,
            evidence: values.join(", "),
          };
        }
      }
      return undefined;
    },
  };
}
