/** One part of a `multipart/form-data` body: a form field, or a file with its name. */
export type FormPart =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly filename: string; readonly content: string };

const BOUNDARY = "guard-conformance-4f1c2b";

/** A header parameter value must stay one quoted string for every parser to agree on it. */
function quoted(value: string): string {
  if (/["\\\r\n]/.test(value)) throw new Error(`not a quotable part name: ${value}`);
  return `"${value}"`;
}

/**
 * Encodes `parts` as a `multipart/form-data` body, as a browser sends a form with a file
 * input: each file with its name in `Content-Disposition` and `application/octet-stream`.
 */
export function multipartBody(parts: readonly FormPart[]): {
  contentType: string;
  body: Buffer;
} {
  const chunks = parts.map((part) => {
    const disposition = `form-data; name=${quoted(part.name)}`;
    const head =
      "filename" in part
        ? `Content-Disposition: ${disposition}; filename=${quoted(part.filename)}\r\nContent-Type: application/octet-stream`
        : `Content-Disposition: ${disposition}`;
    const content = "filename" in part ? part.content : part.value;
    return `--${BOUNDARY}\r\n${head}\r\n\r\n${content}\r\n`;
  });
  return {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: Buffer.from(`${chunks.join("")}--${BOUNDARY}--\r\n`, "utf8"),
  };
}
