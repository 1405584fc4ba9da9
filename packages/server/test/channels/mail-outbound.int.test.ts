import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIL_TEMPLATE_KEYS } from "@eskala/contracts";
import type { TestApp } from "../harness.ts";
import { buildThreadHeaders, renderCustomerEmail } from "../../src/channels/mail/outbound.ts";
import { closeTransports, sendEmail } from "../../src/channels/mail/transport.ts";
import {
  counts,
  DOMAIN,
  outboxEmails,
  sendMail,
  startCapturingSmtp,
  startChannelsApp,
  startMailIntake,
} from "./helpers.ts";

let t: TestApp;
let capture: Awaited<ReturnType<typeof startCapturingSmtp>>;
let port: number;
beforeAll(async () => {
  capture = await startCapturingSmtp();
  t = await startChannelsApp({ SMTP_URL: capture.url, ESKALA_PUBLIC_URL: "https://help.example.com" });
  port = await startMailIntake(t);
});
afterAll(async () => {
  closeTransports();
  await t?.close();
  await capture?.close();
});

/** Stands in for the engine's outbox relay: sends the pending emails of a ticket. */
async function relay(ticketId: string) {
  const rows = await outboxEmails(t, ticketId);
  const pending = rows.filter((r) => r.status === "pending");
  for (const row of pending) {
    await sendEmail(row.payload, t.services.config);
    await t.db
      .updateTable("outbox")
      .set({ status: "delivered", delivered_at: new Date() })
      .where("id", "=", row.id)
      .execute();
  }
  return pending.map((r) => r.payload);
}

const mailsTo = (address: string) =>
  capture.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);

describe("rendering", () => {
  it("renders every template in Indonesian and English with no placeholder left, escaping values in HTML", () => {
    const vars = {
      ticket_number: "1042",
      subject: "Login <gagal>",
      customer_name: "Budi",
      status_url: "https://x.test/s",
      reply_text: "Coba <script>alert(1)</script> lagi",
      survey_url: "https://x.test/v",
      agent_name: "Sari",
      tier_name: "Tier 2",
      customer_text: "t",
      next_update_at: "besok",
      update_text: "u",
      reason: "too_slow",
      response_due_at: "nanti",
    };
    for (const key of MAIL_TEMPLATE_KEYS) {
      for (const lang of ["id", "en"] as const) {
        const m = renderCustomerEmail(key, lang, vars);
        expect(m.subject, `${key}/${lang}`).toContain("[#1042]");
        expect(`${m.subject}${m.text}${m.html}`).not.toMatch(/\{\{|\}\}/);
        expect(m.html).not.toContain("<script>");
        expect(m.html).toContain(`lang="${lang}"`);
      }
    }
    expect(renderCustomerEmail("ticket.received", "id", vars).text).toContain("Permintaan Anda telah kami terima");
    expect(renderCustomerEmail("ticket.received", "en", vars).text).toContain("We received your request");
    expect(renderCustomerEmail("ticket.solved", "en", vars).html).toContain('<a href="https://x.test/v">');
    // A subject value cannot inject headers
    expect(
      renderCustomerEmail("agent.reply", "en", { ...vars, subject: "x\r\nBcc: victim@x.test" }).subject,
    ).not.toMatch(/[\r\n]/);
  });

  it("threads: In-Reply-To is the latest mail, References start at the first", () => {
    const h = buildThreadHeaders(
      { number: 7, previousMessageIds: ["<a@x>", "<b@x>", "<c@x>"] },
      "<ticket-7-n@d>",
      "support+7-abc@d",
    );
    expect(h).toMatchObject({
      "Message-ID": "<ticket-7-n@d>",
      "In-Reply-To": "<c@x>",
      References: "<a@x> <b@x> <c@x>",
      "Reply-To": "support+7-abc@d",
    });
    expect(buildThreadHeaders({ number: 7, previousMessageIds: [] }, "<m@d>", "r@d")).not.toHaveProperty("In-Reply-To");
  });
});

describe("sendEmail", () => {
  it("delivers text and HTML parts with the threading headers to the SMTP server of SMTP_URL", async () => {
    await sendEmail(
      {
        to: "rani@pelanggan.test",
        from: `Eskala <support@${DOMAIN}>`,
        subject: "[#9] Tes",
        text: "Halo Rani",
        html: "<p>Halo Rani</p>",
        headers: {
          "Message-ID": `<ticket-9-abc@${DOMAIN}>`,
          "In-Reply-To": "<x@pelanggan.test>",
          References: "<x@pelanggan.test>",
          "Reply-To": `support+9-0123456789ab@${DOMAIN}`,
          "Auto-Submitted": "auto-generated",
        },
      },
      t.services.config,
    );
    const [mail] = mailsTo("rani@pelanggan.test");
    expect(mail).toMatchObject({
      subject: "[#9] Tes",
      messageId: `<ticket-9-abc@${DOMAIN}>`,
      inReplyTo: "<x@pelanggan.test>",
      references: "<x@pelanggan.test>",
    });
    expect(mail!.text?.trim()).toBe("Halo Rani");
    expect(mail!.html).toContain("<p>Halo Rani</p>");
    expect(mail!.replyTo?.value[0]?.address).toBe(`support+9-0123456789ab@${DOMAIN}`);
    expect(mail!.headers.get("auto-submitted")).toBe("auto-generated");
  });

  it("without SMTP_URL only serialises the mail (jsonTransport)", async () => {
    const sent = await sendEmail(
      { to: "a@b.test", subject: "s", text: "t" },
      { SMTP_URL: undefined, ESKALA_MAIL_DOMAIN: DOMAIN },
    );
    expect(JSON.parse(sent.json!)).toMatchObject({ subject: "s", text: "t" });
  });
});

describe("customer notifications", () => {
  it("writes the right outbox rows: received, agent reply, waiting on you, solved with a survey link", async () => {
    const ticket = await t.createTicket({ channel: "web" });
    const agent = t.people.agent1;
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { kind: "note", body: "internal only" },
    });
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: "Sudah kami reset, silakan coba lagi." },
    });
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { body: "Bisa kirim tangkapan layar?", status: "pending" },
    });
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.people.customer.token,
      body: { body: "Ini dia" },
    });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
      token: agent.token,
      body: { status: "solved", resolution_code: "fixed" },
    });
    const rows = await outboxEmails(t, ticket.id);
    expect(rows.map((r) => r.payload.template)).toEqual([
      "ticket.received",
      "agent.reply",
      "ticket.waiting",
      "ticket.solved",
    ]);
    expect(rows[1]!.payload.text).toContain("Sudah kami reset, silakan coba lagi.");
    expect(rows[1]!.payload.text).not.toContain("internal only");
    expect(rows[1]!.payload.headers).not.toHaveProperty("Auto-Submitted");
    expect(rows[2]!.payload.text).toContain("Bisa kirim tangkapan layar?");
    expect(rows[3]!.payload.text).toMatch(/https:\/\/help\.example\.com\/portal\/survey\/[\w.-]+/);
    // one thread: each mail answers the previous one
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.payload.headers!["In-Reply-To"]).toBe(rows[i - 1]!.payload.headers!["Message-ID"]);
    const recorded = await t.db
      .selectFrom("mail_messages")
      .select("message_id")
      .where("ticket_id", "=", ticket.id)
      .where("direction", "=", "outbound")
      .execute();
    expect(recorded).toHaveLength(4);
  });

  it("tells nobody about API tickets, imports, or customers without a usable address", async () => {
    const before = await counts(t, ["outbox"]);
    await t.createTicket({ requester: { email: "phone-only@customer.invalid" }, channel: "web" }, t.people.agent1);
    await t.createTicket({ channel: "api" }, t.people.agent1);
    await t.inject("POST", "/api/v1/tickets", {
      body: {
        subject: "Lama",
        description: "Impor",
        requester: { email: "old@pelanggan.test" },
        created_at: "2025-01-01T00:00:00Z",
        solved_at: "2025-01-02T00:00:00Z",
        resolution_code: "answered",
        channel: "email",
      },
    });
    expect(await counts(t, ["outbox"])).toEqual(before);
  });

  it("uses the admin's template override, and refuses unknown placeholders with 422 naming the field", async () => {
    const bad = await t.inject("PUT", "/api/v1/mail-templates/ticket.received/en", {
      body: { subject: "Got it {{ticket_number}}", body: "Hi {{customer_nam}}" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ path: ["body"], message: expect.stringContaining("{{customer_nam}}") });
    const unknownField = await t.inject("PUT", "/api/v1/mail-templates/ticket.received/en", {
      body: { subject: "x", body: "y", html: "z" },
    });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.errors[0].path).toEqual(["html"]);
    const agentTry = await t.inject("PUT", "/api/v1/mail-templates/ticket.received/en", {
      token: t.people.agent1.token,
      body: { subject: "x", body: "y" },
    });
    expect(agentTry.status).toBe(403);
    expect(await counts(t, ["mail_templates"])).toEqual({ mail_templates: 0 });

    const put = await t.inject("PUT", "/api/v1/mail-templates/ticket.received/en", {
      body: { subject: "Ticket {{ticket_number}} is in", body: "Dear {{customer_name}}, noted. {{status_url}}" },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ is_default: false, placeholders: expect.arrayContaining(["customer_name"]) });
    const ticket = await t.createTicket(
      { requester: { email: "eng@customer.test", language: "en" }, channel: "web" },
      t.people.agent1,
    );
    const [row] = await outboxEmails(t, ticket.id);
    expect(row!.payload.subject).toBe(`Ticket ${ticket.number} is in [#${ticket.number}]`);
    expect(row!.payload.text).toMatch(/^Dear eng, noted\. https:\/\/help\.example\.com\/portal\/tickets\//);
    const reset = await t.inject("DELETE", "/api/v1/mail-templates/ticket.received/en");
    expect(reset.body.is_default).toBe(true);
    expect((await t.inject("GET", "/api/v1/mail-templates")).body.items).toHaveLength(MAIL_TEMPLATE_KEYS.length * 2);
  });
});

describe("the whole email journey", () => {
  it("mail → ticket, emailed reply threads on it, the solved mail's survey link lands a rating on the ticket", async () => {
    const customer = "maya@pelanggan.test";
    await sendMail(port, {
      from: `Maya <${customer}>`,
      to: `support@${DOMAIN}`,
      subject: "Pembayaran gagal",
      text: "Pembayaran saya gagal terus.",
      messageId: "<journey-1@pelanggan.test>",
    });
    const { ticket_id: ticketId } = await t.db
      .selectFrom("mail_messages")
      .select("ticket_id")
      .where("message_id", "=", "<journey-1@pelanggan.test>")
      .executeTakeFirstOrThrow();
    await t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
      token: t.people.agent1.token,
      body: { body: "Coba pakai QRIS ya." },
    });
    await relay(ticketId);
    const answer = mailsTo(customer).find((m) => m.text?.includes("Coba pakai QRIS"))!;
    expect(answer.inReplyTo).toBeTruthy();

    // The customer answers from their mail client: to Reply-To, In-Reply-To our Message-ID, quoting us.
    await sendMail(port, {
      from: customer,
      to: answer.replyTo!.value[0]!.address!,
      subject: `Re: ${answer.subject}`,
      inReplyTo: answer.messageId!,
      references: [answer.messageId!],
      text: `Sudah bisa, terima kasih!\n\nOn Mon, 2 Mar 2026, Eskala <support@${DOMAIN}> wrote:\n> Coba pakai QRIS ya.`,
    });
    const thread = (await t.inject("GET", `/api/v1/tickets/${ticketId}/messages`)).body.items.map((m: any) => m.body);
    expect(thread).toEqual(["Coba pakai QRIS ya.", "Sudah bisa, terima kasih!"]);

    await t.inject("PATCH", `/api/v1/tickets/${ticketId}`, {
      token: t.people.agent1.token,
      body: { status: "solved", resolution_code: "workaround" },
    });
    await relay(ticketId);
    const solved = mailsTo(customer).find((m) => m.subject?.includes("diselesaikan"))!;
    const link = /https:\/\/help\.example\.com\/portal\/survey\/([\w.-]+)/.exec(solved.text!)![1]!;
    expect(solved.html).toContain(`/portal/survey/${link}`);
    const view = await t.inject("GET", `/api/v1/surveys/${link}`, { token: null });
    expect(view.body).toMatchObject({ ticket: { subject: "Pembayaran gagal", status: "solved" }, rating: null });
    const rated = await t.inject("POST", `/api/v1/surveys/${link}`, {
      token: null,
      body: { rating: 5, comment: "Cepat!" },
    });
    expect(rated.status).toBe(201);
    const sat = await t.inject("GET", `/api/v1/tickets/${ticketId}/satisfaction`, { token: t.people.agent1.token });
    expect(sat.body.items[0]).toMatchObject({ rating: 5, comment: "Cepat!", solved_tier: 1, escalated: false });
  });
});
