import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

/**
 * A local stand-in for Meta's WhatsApp Cloud API (the real Graph API is not reachable from the
 * tests). It checks each request against Meta's documented shapes and answers as Meta does:
 *
 * - `POST /{phone-number-id}/messages` with `Authorization: Bearer <token>` and
 *   `{messaging_product:"whatsapp", to, type:"text", text:{body}}` or
 *   `{…, type:"template", template:{name, language:{code}, components}}` →
 *   `{messaging_product:"whatsapp", contacts:[{input, wa_id}], messages:[{id:"wamid.…"}]}`;
 *   a request that breaks the shape gets Meta's `(#100) Invalid parameter` error (HTTP 400).
 * - `GET /{media-id}` → `{messaging_product, url, mime_type, sha256, file_size, id}`; the `url`
 *   (`GET /media-files/{media-id}`) gives the file's bytes, with the bearer token.
 * - `failNext(n, error)` makes the next n sends fail with a Meta-style error body.
 */
const TextMessage = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual").optional(),
  to: z.string().regex(/^\+?\d{6,20}$/),
  type: z.literal("text"),
  text: z.strictObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
});
const TemplateMessage = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual").optional(),
  to: z.string().regex(/^\+?\d{6,20}$/),
  type: z.literal("template"),
  template: z.strictObject({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/),
    language: z.strictObject({ code: z.string().min(2).max(10), policy: z.literal("deterministic").optional() }),
    components: z
      .array(
        z.strictObject({
          type: z.enum(["header", "body", "button"]),
          parameters: z.array(
            z.looseObject({
              type: z.literal("text"),
              // Meta: no new lines or tabs, no more than four spaces in a row.
              text: z
                .string()
                .min(1)
                .max(32768)
                .refine((t) => !/[\n\t]| {5,}/.test(t), "no new lines or tabs"),
            }),
          ),
        }),
      )
      .optional(),
  }),
});
export const SendBody = z.discriminatedUnion("type", [TextMessage, TemplateMessage]);
export type SentMessage = z.infer<typeof SendBody>;

export interface MetaError {
  status: number;
  code: number;
  message: string;
  details?: string;
}

export interface WhatsappStandIn {
  /** The base URL to use as ESKALA_WHATSAPP_API_URL. */
  url: string;
  token: string;
  phoneNumberId: string;
  /** The valid messages it accepted, in order, with the id it gave each. */
  sent: (SentMessage & { wamid: string })[];
  /** Every request it saw (method, path, refused or not). */
  requests: { method: string; path: string; status: number }[];
  /** Media files it serves: media id → bytes and type. */
  media: Map<string, { data: Buffer; mime: string }>;
  failNext(n: number, error?: Partial<MetaError>): void;
  close(): Promise<void>;
}

export async function startWhatsappStandIn(
  opts: { token?: string; phoneNumberId?: string } = {},
): Promise<WhatsappStandIn> {
  const token = opts.token ?? "test-whatsapp-token";
  const phoneNumberId = opts.phoneNumberId ?? "109876543210";
  let failures: { n: number; error: MetaError } = { n: 0, error: { status: 500, code: 1, message: "" } };
  const self: WhatsappStandIn = {
    url: "",
    token,
    phoneNumberId,
    sent: [],
    requests: [],
    media: new Map(),
    failNext(n, error = {}) {
      failures = {
        n,
        error: {
          status: 503,
          code: 131000,
          message: "Something went wrong",
          details: "Service temporarily unavailable",
          ...error,
        },
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const metaError = (res: http.ServerResponse, e: MetaError) => {
    res.writeHead(e.status, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          message: e.message,
          type: "OAuthException",
          code: e.code,
          error_data: { messaging_product: "whatsapp", details: e.details ?? e.message },
          fbtrace_id: randomBytes(8).toString("hex"),
        },
      }),
    );
    return e.status;
  };
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
    return 200;
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const status = (() => {
      if (req.headers.authorization !== `Bearer ${token}`)
        return metaError(res, {
          status: 401,
          code: 190,
          message: "Invalid OAuth access token - Cannot parse access token",
        });
      const send = /^\/([^/]+)\/messages$/.exec(path);
      if (send && req.method === "POST") {
        if (send[1] !== phoneNumberId)
          return metaError(res, { status: 400, code: 100, message: "Unsupported post request. Object does not exist" });
        if (!String(req.headers["content-type"]).startsWith("application/json"))
          return metaError(res, { status: 400, code: 100, message: "Invalid parameter", details: "content-type" });
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return metaError(res, { status: 400, code: 100, message: "Invalid parameter", details: "body is not JSON" });
        }
        const parsed = SendBody.safeParse(body);
        if (!parsed.success)
          return metaError(res, {
            status: 400,
            code: 100,
            message: "Invalid parameter",
            details: parsed.error.message,
          });
        if (failures.n > 0) {
          failures.n--;
          return metaError(res, failures.error);
        }
        const wamid = `wamid.${randomBytes(12).toString("base64url")}`;
        self.sent.push({ ...parsed.data, wamid });
        return json(res, {
          messaging_product: "whatsapp",
          contacts: [{ input: parsed.data.to, wa_id: parsed.data.to.replace(/^\+/, "") }],
          messages: [{ id: wamid }],
        });
      }
      const file = /^\/media-files\/([^/]+)$/.exec(path);
      if (file && req.method === "GET") {
        const m = self.media.get(decodeURIComponent(file[1]!));
        if (!m) return metaError(res, { status: 404, code: 100, message: "media not found" });
        res.writeHead(200, { "content-type": m.mime, "content-length": m.data.length });
        res.end(m.data);
        return 200;
      }
      const info = /^\/([^/]+)$/.exec(path);
      if (info && req.method === "GET") {
        const id = decodeURIComponent(info[1]!);
        const m = self.media.get(id);
        if (!m)
          return metaError(res, { status: 400, code: 100, message: "Unsupported get request. Object does not exist" });
        return json(res, {
          messaging_product: "whatsapp",
          url: `${self.url}/media-files/${encodeURIComponent(id)}`,
          mime_type: m.mime,
          sha256: "0".repeat(64),
          file_size: m.data.length,
          id,
        });
      }
      return metaError(res, { status: 404, code: 100, message: "Unknown path" });
    })();
    self.requests.push({ method: req.method ?? "", path, status });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
