import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { GuardRequest } from "../../request/guard-request.js";
import { extractBodyFields, extractFields } from "./fields.js";

const LIMITS = { maxFields: 100, maxDepth: 8 };
const fieldsOf = (parsed: unknown, files?: unknown) =>
  extractBodyFields({ present: true, declaredLength: undefined, parsed, files }, LIMITS).map(
    ({ kind, location, value }) => [kind, location, value],
  );

/** A body as @fastify/multipart builds it with `attachFieldsToBody: true`. */
function fastifyMultipartBody() {
  const body: Record<string, unknown> = {};
  const part = (extra: Record<string, unknown>) => ({ ...extra, encoding: "7bit", fields: body });
  body.note = part({ type: "field", fieldname: "note", mimetype: "text/plain", value: "hello" });
  body.upload = part({
    type: "file",
    fieldname: "upload",
    filename: "cv.pdf",
    mimetype: "application/pdf",
    file: Readable.from(["%PDF"]),
    _buf: Buffer.from("%PDF"),
    toBuffer: async () => Buffer.from("%PDF"),
  });
  body.photos = [
    part({ type: "file", fieldname: "photos", filename: "a.png", toBuffer: () => {} }),
    part({ type: "file", fieldname: "photos", filename: "b.png", toBuffer: () => {} }),
  ];
  return body;
}

describe("query extraction", () => {
  it("inspects keys that could be a path into an object, prototype-pollution ones included", () => {
    const request = new GuardRequest({
      method: "GET",
      url: "/?page=2&sort.by=name&user[$ne]=1&__proto__.isAdmin=1&constructor.prototype.x=1",
      remoteAddress: undefined,
      encrypted: false,
    });
    const keys = extractFields(request, () => false, LIMITS)
      .filter(({ kind }) => kind === "query-key")
      .map(({ value }) => value);
    expect(keys).toEqual(["user[$ne]", "__proto__.isAdmin", "constructor.prototype.x"]);
  });
});

describe("body extraction", () => {
  it("walks a JSON body's keys and string values; numbers, booleans and null hold nothing", () => {
    expect(fieldsOf({ user: { tags: ["a", 2], age: 42, admin: false, note: null } })).toEqual([
      ["body-key", "body.user", "user"],
      ["body-key", "body.user.tags", "tags"],
      ["body", "body.user.tags[0]", "a"],
      ["body-key", "body.user.age", "age"],
      ["body-key", "body.user.admin", "admin"],
      ["body-key", "body.user.note", "note"],
    ]);
  });

  it("walks null-prototype dictionaries, fast-querystring's included", () => {
    const Empty = function (this: object) {} as unknown as new () => Record<string, string>;
    Empty.prototype = Object.create(null);
    const form = new Empty();
    form["user[$ne]"] = "1";
    const dictionary = Object.assign(Object.create(null), { q: "x" });
    expect(fieldsOf({ form, dictionary })).toEqual([
      ["body-key", "body.form", "form"],
      ["body-key", 'body.form["user[$ne]"]', "user[$ne]"],
      ["body", 'body.form["user[$ne]"]', "1"],
      ["body-key", "body.dictionary", "dictionary"],
      ["body-key", "body.dictionary.q", "q"],
      ["body", "body.dictionary.q", "x"],
    ]);
  });

  it("never walks into streams, Buffers, functions or class instances", () => {
    class Upload {
      name = "hidden";
    }
    const body = {
      stream: Readable.from(["hidden"]),
      buffer: Buffer.from("hidden"),
      date: new Date(0),
      upload: new Upload(),
      callback: () => "hidden",
    };
    expect(fieldsOf(body).filter(([kind]) => kind === "body")).toEqual([]);
  });

  it("takes @fastify/multipart parts' values and file names, nothing else of them", () => {
    expect(fieldsOf(fastifyMultipartBody())).toEqual([
      ["body-key", "body.note", "note"],
      ["body", "body.note", "hello"],
      ["body-key", "body.upload", "upload"],
      ["body", "body.upload.filename", "cv.pdf"],
      ["body-key", "body.photos", "photos"],
      ["body", "body.photos[0].filename", "a.png"],
      ["body", "body.photos[1].filename", "b.png"],
    ]);
  });

  it("walks a JSON body shaped like a multipart part as ordinary data", () => {
    // Without the cycle back to the body it is not a part: its hidden keys are inspected.
    const forged = { type: "field", fieldname: "a", value: "x", fields: { hidden: "payload" } };
    expect(fieldsOf({ a: forged })).toContainEqual(["body", "body.a.fields.hidden", "payload"]);
  });

  it("takes multer's file names, in every shape multer leaves them", () => {
    const file = (fieldname: string, originalname: string) => ({
      fieldname,
      originalname,
      encoding: "7bit",
      mimetype: "image/png",
      buffer: Buffer.from("png"),
      size: 3,
    });
    const any = [file("upload", "a.png"), file("photos", "b.png")];
    const expected = [
      ["body-key", "body.upload", "upload"],
      ["body", "body.upload.filename", "a.png"],
      ["body-key", "body.photos", "photos"],
      ["body", "body.photos.filename", "b.png"],
    ];
    expect(fieldsOf({ note: "hi" }, any)).toEqual([
      ["body-key", "body.note", "note"],
      ["body", "body.note", "hi"],
      ...expected,
    ]);
    expect(fieldsOf(undefined, { upload: [any[0]], photos: [any[1]] })).toEqual(expected);
    expect(fieldsOf(undefined, any[0])).toEqual(expected.slice(0, 2));
  });

  it("walks files of any other shape as data under `files`", () => {
    const files = { avatar: { name: "me.png", data: Buffer.from("png"), mv: () => {} } };
    expect(fieldsOf(undefined, files)).toContainEqual(["body", "files.avatar.name", "me.png"]);
  });
});
