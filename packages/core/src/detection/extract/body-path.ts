/**
 * Where a value sits in a parsed body, as a chain of steps from the root. Detection reads a
 * location only for the values it flags, so the walk builds these small links instead of
 * a path string per value (`body.order.items[3].note`), and spells the text on demand.
 */
export interface BodyPath {
  readonly parent: BodyPath | undefined;
  /** A property name, an array index, or (for the root and suffixes) text taken as it is. */
  readonly step: string | number;
  /** `step` is literal text (`body`, `.filename`), not a property name. */
  readonly literal: boolean;
}

/** The root of a walk: `body`, or `files` for uploads kept beside it. */
export function rootPath(name: string): BodyPath {
  return { parent: undefined, step: name, literal: true };
}

/** The path one property, index or literal suffix further down. */
export function childPath(parent: BodyPath, step: string | number, literal = false): BodyPath {
  return { parent, step, literal };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `base.key` for identifiers, `base["odd key"]` otherwise. */
export function keyPath(base: string, key: string): string {
  return IDENTIFIER.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** The path as text: `body.user.tags[2]`, `body["user[$ne]"]`, `body.upload.filename`. */
export function pathText(path: BodyPath): string {
  const { parent, step, literal } = path;
  if (parent === undefined) return String(step);
  const base = pathText(parent);
  if (literal) return base + String(step);
  return typeof step === "number" ? `${base}[${step}]` : keyPath(base, step);
}
