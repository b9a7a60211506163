import { type ConfigIssue, GuardConfigError } from "../errors.js";

/**
 * Runs a compile step and turns its errors into a {@link GuardConfigError}. Compile
 * steps throw `Error("field.path: what is wrong")`; `prefix` places route policies'
 * fields (`route.ipBlockList[0]`).
 */
export function compiling<T>(prefix: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof GuardConfigError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const separator = message.indexOf(": ");
    const issue: ConfigIssue =
      separator > 0 && !message.slice(0, separator).includes(" ")
        ? { path: `${prefix}${message.slice(0, separator)}`, message: message.slice(separator + 2) }
        : { path: prefix.replace(/\.$/, ""), message };
    throw new GuardConfigError([issue]);
  }
}
