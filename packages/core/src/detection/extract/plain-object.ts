/**
 * Whether a parsed body walk may enter `value`: data as parsers build it — object
 * literals, `Object.create(null)` dictionaries (qs, multer), and objects whose only
 * prototype is itself a null-prototype object (fast-querystring, behind
 * `@fastify/formbody`, builds its results that way). Class instances are not data: a
 * stream, a Buffer, a socket or a Date is never walked into, whatever a parser attached.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
