import fc from "fast-check";

/** The parts of a JSON Schema (as the OpenAPI document has them) the generator reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export const UNKNOWN_ID = "7d9f4a8e-0000-4000-8000-00000000f022";
const b64 = (s: string) => Buffer.from(s).toString("base64url");

/** Values a careless or hostile client sends in place of any field. */
export const HOSTILE_VALUES: unknown[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\u202e\u200b",
  "😀",
  "",
  " ",
  "x".repeat(5_000),
  "'; drop table tickets; --",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  2147483648,
  -2147483649,
  2 ** 53,
  -1,
  0,
  1.5,
  1e308,
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "1969-12-31T23:59:59Z",
  "9999-12-31T23:59:59+14:00",
  "2026-02-30T10:00:00Z",
  UNKNOWN_ID,
  "00000000-0000-0000-0000-000000000000",
  b64('["2020-01-01T00:00:00Z","------------------------------------"]'),
  b64('[{"v":{"a":1}},"00000000-0000-4000-8000-000000000000"]'),
  b64('["0000-01-01T00:00:00Z","00000000-0000-4000-8000-000000000000"]'),
  [],
  {},
  [null],
  JSON.parse('{"__proto__":{"admin":true}}') as unknown,
  null,
  true,
];

/** Whole bodies that are not what any schema asks for. */
export const HOSTILE_BODIES: string[] = [
  "[".repeat(20_000) + "]".repeat(20_000),
  '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
  '{"subject": "x",',
  "null",
  "[]",
  '"text"',
  "12345678901234567890",
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"a":"\\u0000","b":"\\ud800"}',
  "",
];

export interface GenContext {
  resolve(ref: string): JsonSchema;
  /** Ids known to exist: of the kind the path names, and of every kind. */
  own: string[];
  ids: string[];
  emails: string[];
}

const hostile = fc.constantFrom(...HOSTILE_VALUES);

/** Mostly valid values of a schema, with a hostile value in place of any part about one time in sixteen. */
export function valueOf(schema: JsonSchema, ctx: GenContext, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 15, arbitrary: validOf(schema, ctx, depth) }, { weight: 1, arbitrary: hostile });
}

/** An id in a path: mostly one that exists, else an unknown or hostile one. */
export function idOf(ctx: GenContext): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...ctx.own) },
    { weight: 2, arbitrary: fc.constantFrom(...ctx.ids) },
    fc.uuid(),
    hostile,
    fc.constant("1042"),
  );
}

function validOf(schema: JsonSchema, ctx: GenContext, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) return validOf(ctx.resolve(schema.$ref), ctx, depth);
  if (depth > 6) return fc.constant(null);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validOf(s, ctx, depth + 1)));
  if (schema.allOf?.length) return validOf(Object.assign({}, ...schema.allOf) as JsonSchema, ctx, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type))
    return fc.oneof(...schema.type.map((type) => validOf({ ...schema, type }, ctx, depth)));
  switch (schema.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e6), max: Math.min(schema.maximum ?? 10_000, 1e6) });
    case "number":
      return fc.double({
        min: Math.max(schema.minimum ?? schema.exclusiveMinimum ?? -1000, -1e6),
        max: Math.min(schema.maximum ?? schema.exclusiveMaximum ?? 10_000, 1e6),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      return stringOf(schema, ctx);
    case "array": {
      const max = Math.min(schema.maxItems ?? 3, 3);
      const item = schema.items ? valueOf(schema.items, ctx, depth + 1) : fc.jsonValue({ maxDepth: 2 });
      return fc.array(item, { minLength: Math.min(schema.minItems ?? 0, max), maxLength: max });
    }
    case "object":
      return objectOf(schema, ctx, depth);
  }
  // An unconstrained value (z.unknown()): any small JSON.
  return fc.jsonValue({ maxDepth: 3 });
}

function stringOf(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case "uuid":
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ctx.ids) }, fc.uuid());
    case "date-time":
      return fc
        .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "email":
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.emails) }, fc.emailAddress());
    case "byte":
      return fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("base64"));
    case "uri":
      return fc.constantFrom(
        "https://hooks.example.com/eskala",
        "http://169.254.169.254/latest",
        "ftp://x",
        "not a url",
      );
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  if (schema.pattern) {
    try {
      const pattern = new RegExp(schema.pattern, "u");
      return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 1e9));
    } catch {
      /* a pattern JavaScript cannot read: plain text below */
    }
  }
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: "grapheme" }),
    fc.constantFrom("vip", "billing", "Frontline", "tidak bisa login"),
  );
}

function objectOf(schema: JsonSchema, ctx: GenContext, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const required = new Set(schema.required ?? []);
  // Optional fields are sent one time in four, so whole bodies are often valid and reach the services.
  const model = Object.fromEntries(
    keys.map((k) => {
      const value = valueOf(properties[k]!, ctx, depth + 1);
      return [k, required.has(k) ? value : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, value)];
    }),
  );
  const known = fc
    .record(model)
    .map((o) => Object.fromEntries(Object.entries(o as object).filter(([, v]) => v !== undefined)));
  if (!keys.length && extra)
    return fc.dictionary(fc.string({ maxLength: 12 }), valueOf(extra, ctx, depth + 1), { maxKeys: 3 });
  if (!keys.length) return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  // Now and then an unknown key beside the known ones.
  return fc
    .tuple(
      known,
      fc.oneof(
        { weight: 15, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), hostile) },
      ),
    )
    .map(([o, x]) => (x ? { ...(o as object), [x[0]]: x[1] } : o));
}
