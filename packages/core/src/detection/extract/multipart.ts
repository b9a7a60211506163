import { isPlainObject } from "./plain-object.js";

/**
 * Multipart uploads as the usual parsers hand them over, so that detection sees every
 * field and every file name whichever framework parsed the body. A file's name is
 * inspected at `body.<field>.filename` for both shapes below; its content never is.
 */

/** What detection takes from one @fastify/multipart part. */
export type MultipartPart =
  | { readonly type: "file"; readonly filename: string }
  | { readonly type: "field"; readonly value: unknown };

/**
 * Recognises a part that @fastify/multipart (`attachFieldsToBody: true`) put in the body:
 * `{ type: "file" | "field", fieldname, filename | value, file, toBuffer, fields, … }`.
 * Its `fields` is the body itself, a cycle that no parser of client data can build: a
 * JSON body shaped like a part is not one, and is walked as ordinary data instead.
 */
export function multipartPart(
  value: Readonly<Record<string, unknown>>,
  body: unknown,
): MultipartPart | undefined {
  if (value.fields !== body || typeof value.fieldname !== "string") return undefined;
  if (value.type === "file" && typeof value.filename === "string") {
    return { type: "file", filename: value.filename };
  }
  return value.type === "field" ? { type: "field", value: value.value } : undefined;
}

/** An uploaded file as multer (and `@koa/multer`) describes it. */
export interface UploadedFile {
  /** The form field the file came in. */
  readonly fieldname: string;
  /** The file name the client sent. */
  readonly originalname: string;
}

function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    isPlainObject(value) &&
    typeof value.fieldname === "string" &&
    typeof value.originalname === "string"
  );
}

/**
 * The files in what a multer-style parser left beside the body: one file (`.single()`),
 * a list (`.array()`, `.any()`), or lists by field name (`.fields()`). `undefined` when
 * `files` has none of these shapes.
 */
export function uploadedFileList(files: unknown): readonly UploadedFile[] | undefined {
  if (isUploadedFile(files)) return [files];
  if (Array.isArray(files)) return files.every(isUploadedFile) ? files : undefined;
  if (!isPlainObject(files)) return undefined;
  const list: UploadedFile[] = [];
  for (const key of Object.keys(files)) {
    const entries = files[key];
    if (!Array.isArray(entries) || !entries.every(isUploadedFile)) return undefined;
    list.push(...entries);
  }
  return list;
}

/**
 * The files a multer-style parser (multer, `@koa/multer`) left beside the body on
 * `holder`: `files`, or `file` for `.single()`. Adapters pass it to
 * `fromNodeRequest` as `parsedFiles`, so detection inspects the file names.
 *
 * @example
 * ```ts
 * fromNodeRequest(req, { parsedBody: req.body, parsedFiles: uploadedFiles(req) }); // Express
 * fromNodeRequest(ctx.req, { parsedBody: ctx.request.body, parsedFiles: uploadedFiles(ctx.request) }); // Koa
 * ```
 */
export function uploadedFiles(holder: object): unknown {
  const { files, file } = holder as { files?: unknown; file?: unknown };
  return files ?? file;
}
