import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKind, type TestApp } from "../harness.ts";
import { DEMO_ARTICLES, seedChannelsDemo } from "../../src/channels/kb/kb-demo.ts";
import { counts, startChannelsApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startChannelsApp();
  expect(await seedChannelsDemo(t.services)).toBe(DEMO_ARTICLES.length);
});
afterAll(async () => t?.close());

const search = async (q: string, lang?: string, path = "search") =>
  (await t.inject("GET", `/api/v1/kb/${path}`, { token: null, query: { q, ...(lang ? { lang } : {}) } })).body;

describe(`knowledge base search (${dbKind()})`, () => {
  it("has the indonesian and english text search configurations", async () => {
    const { rows } = await (
      await import("kysely")
    ).sql<{ cfgname: string }>`select cfgname from pg_ts_config where cfgname in ('indonesian', 'english')`.execute(
      t.db,
    );
    expect(rows.map((r) => r.cfgname).sort()).toEqual(["english", "indonesian"]);
  });

  it("finds Indonesian articles through Indonesian stemming, with a ts_headline snippet", async () => {
    // "pembayarannya" and "dikembalikan" only match through the indonesian stemmer (bayar, kembali).
    const res = await search("pembayarannya gagal", "id");
    expect(res.items[0]).toMatchObject({
      title: "Pembayaran gagal atau ditolak",
      language: "id",
      url: expect.stringMatching(/^\/portal\/kb\//),
    });
    expect(res.items[0].score).toBeGreaterThan(0);
    expect(res.items[0].snippet_html).toMatch(/<mark>[^<]+<\/mark>/);
    expect(res.items[0].snippet).not.toContain("<mark>");
    expect(res.items.every((i: any) => i.language === "id")).toBe(true);
    const refund = await search("dana dikembalikan", "id");
    expect(refund.items[0].title).toBe("Cara mengajukan pengembalian dana (refund)");
  });

  it("finds English articles through English stemming and ranks title matches first", async () => {
    const res = await search("resetting passwords", "en");
    expect(res.items[0].title).toBe("How to reset your account password");
    expect((await search("shipments tracked", "en")).items[0].title).toBe("Track your shipment");
  });

  it("searches both languages when none is given, and falls back to any word when all words find nothing", async () => {
    const both = await search("OTP");
    expect(new Set(both.items.map((i: any) => i.language))).toEqual(new Set(["id", "en"]));
    const loose = await search("refund unicorn", "en");
    expect(loose.items[0].title).toBe("How to request a refund");
    expect((await search("zzzqqq", "en")).items).toEqual([]);
  });

  it("suggests at most 5 articles while the customer is still typing (prefix of the last word)", async () => {
    const res = await search("otp tidak mas", "id", "suggest");
    expect(res.items[0].title).toBe("Kode OTP tidak masuk ke ponsel");
    const many = await search("akun kata sandi otp pembayaran refund paket", "id", "suggest");
    expect(many.items.length).toBe(5);
    // Under 3 letters there is nothing to complete yet.
    expect((await search("ot", "id", "suggest")).items).toEqual([]);
  });

  it("never shows drafts publicly, and refuses bad queries", async () => {
    const draft = await t.inject("POST", "/api/v1/kb/articles", {
      token: t.people.agent1.token,
      body: { title: "Rahasia: migrasi kartu kredit", body: "Draf internal", language: "id" },
    });
    expect(draft.status).toBe(201);
    expect((await search("migrasi", "id")).items).toEqual([]);
    expect((await search("migrasi kartu", "id")).items.map((i: any) => i.id)).not.toContain(draft.body.id);
    expect((await t.inject("GET", `/api/v1/kb/articles/${draft.body.id}`, { token: null })).status).toBe(404);
    expect((await t.inject("GET", "/api/v1/kb/search", { token: null, query: { q: "", lang: "id" } })).status).toBe(
      422,
    );
    expect((await t.inject("GET", "/api/v1/kb/search", { token: null, query: { q: "x", lang: "fr" } })).status).toBe(
      422,
    );
    // Query syntax is data, never SQL or a tsquery error.
    for (const q of ["'); drop table kb_articles; --", "a & | ! :* (", '"unclosed']) {
      const r = await t.inject("GET", "/api/v1/kb/search", { token: null, query: { q } });
      expect(r.status, q).toBe(200);
      expect((await t.inject("GET", "/api/v1/kb/suggest", { token: null, query: { q } })).status).toBe(200);
    }
  });
});

describe("articles", () => {
  it("agents write, publish and edit Markdown articles; the public reads safe HTML", async () => {
    const body =
      "## Langkah\n\n1. Buka **Profil**\n2. Klik [di sini](javascript:alert(1)) atau [bantuan](https://help.example.com)\n\n<script>alert('x')</script>";
    const created = await t.inject("POST", "/api/v1/kb/articles", {
      token: t.people.agent1.token,
      body: {
        title: "Ubah nomor ponsel",
        body,
        language: "id",
        category: "Akun",
        tags: ["akun", "ponsel"],
        status: "published",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "published",
      author: { id: t.people.agent1.id },
      deflections: 0,
      version: 0,
    });
    const pub = await t.inject("GET", `/api/v1/kb/articles/${created.body.id}`, { token: null });
    expect(pub.status).toBe(200);
    expect(pub.body.body_html).toContain("<h2>Langkah</h2>");
    expect(pub.body.body_html).toContain("<strong>Profil</strong>");
    expect(pub.body.body_html).not.toContain("<script>");
    expect(pub.body.body_html).toContain("&lt;script&gt;");
    expect(pub.body.body_html).not.toMatch(/href="javascript:/);
    expect(pub.body.body_html).toContain('href="https://help.example.com" rel="nofollow noopener noreferrer"');
    expect(pub.body).not.toHaveProperty("deflections");
    expect((await search("nomor ponsel", "id")).items[0].title).toBe("Ubah nomor ponsel");

    const edited = await t.inject("PATCH", `/api/v1/kb/articles/${created.body.id}`, {
      token: t.people.agent1.token,
      body: { title: "Mengubah nomor ponsel", expected_version: 0 },
    });
    expect(edited.body).toMatchObject({ title: "Mengubah nomor ponsel", version: 1 });
    const stale = await t.inject("PATCH", `/api/v1/kb/articles/${created.body.id}`, {
      token: t.people.agent1.token,
      body: { title: "x", expected_version: 0 },
    });
    expect(stale.status).toBe(409);
    const list = await t.inject("GET", "/api/v1/kb/articles", { token: null, query: { lang: "id", limit: "3" } });
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items.every((a: any) => a.status === "published" && a.language === "id")).toBe(true);
    const next = await t.inject("GET", "/api/v1/kb/articles", {
      token: null,
      query: { lang: "id", limit: "3", cursor: list.body.next_cursor },
    });
    expect(next.body.items[0].id).not.toBe(list.body.items[2].id);
    expect(
      (await t.inject("DELETE", `/api/v1/kb/articles/${created.body.id}`, { token: t.people.agent1.token })).status,
    ).toBe(204);
  });

  it("refuses customers, anonymous writers, unknown fields and drafts for the public", async () => {
    const before = await counts(t, ["kb_articles"]);
    const body = { title: "x", body: "y", language: "id" };
    expect((await t.inject("POST", "/api/v1/kb/articles", { token: t.people.customer.token, body })).status).toBe(403);
    expect((await t.inject("POST", "/api/v1/kb/articles", { token: null, body })).status).toBe(401);
    const unknown = await t.inject("POST", "/api/v1/kb/articles", {
      token: t.people.agent1.token,
      body: { ...body, html: "<b>" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toEqual(["html"]);
    expect((await t.inject("GET", "/api/v1/kb/articles", { token: null, query: { status: "draft" } })).status).toBe(
      403,
    );
    expect(await counts(t, ["kb_articles"])).toEqual(before);
  });
});

describe("deflections", () => {
  it("'this solved my problem' counts a deflection and creates no ticket", async () => {
    const [hit] = (await search("kode OTP", "id")).items;
    const before = await counts(t, ["tickets", "kb_deflections"]);
    const res = await t.inject("POST", "/api/v1/kb/deflections", {
      token: null,
      body: { query: "kode OTP tidak masuk", article_id: hit.id },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ article_id: hit.id, deflections: 1 });
    await t.inject("POST", "/api/v1/kb/deflections", {
      token: t.people.customer.token,
      body: { query: "otp", article_id: hit.id },
    });
    expect(await counts(t, ["tickets", "kb_deflections"])).toEqual({
      tickets: before.tickets,
      kb_deflections: before.kb_deflections! + 2,
    });
    const staffView = await t.inject("GET", `/api/v1/kb/articles/${hit.id}`, { token: t.people.agent1.token });
    expect(staffView.body.deflections).toBe(2);
  });

  it("refuses unknown articles and unknown fields, writing nothing", async () => {
    const before = await counts(t, ["kb_deflections"]);
    const unknown = await t.inject("POST", "/api/v1/kb/deflections", {
      token: null,
      body: { query: "x", article_id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toEqual(["article_id"]);
    const extra = await t.inject("POST", "/api/v1/kb/deflections", {
      token: null,
      body: { query: "x", article_id: "00000000-0000-4000-8000-000000000000", ticket: true },
    });
    expect(extra.status).toBe(422);
    expect(await counts(t, ["kb_deflections"])).toEqual(before);
  });
});
