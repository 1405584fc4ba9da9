import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import type { TestApp } from "../harness.ts";
import { processInboundMail } from "../../src/channels/mail/inbound.ts";
import {
  ALL_MAIL_TABLES,
  counts,
  DOMAIN,
  outboxEmails,
  refusal,
  sendMail,
  smtpTalk,
  startChannelsApp,
  startMailIntake,
} from "./helpers.ts";
import { testMailWorld } from "./mail-dns.ts";

const world = testMailWorld();
let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startChannelsApp();
  t.services.mailDns = world.dns;
  port = await startMailIntake(t);
});
afterAll(async () => t?.close());

const ticketOf = (id: string) => t.db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const ticketByMessageId = async (messageId: string) => {
  const row = await t.db
    .selectFrom("mail_messages")
    .select("ticket_id")
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  return row ? ticketOf(row.ticket_id) : undefined;
};

describe("inbound email", () => {
  it("turns a mail to support@ into an email ticket in Frontline, customer created from From, attachments kept", async () => {
    const info = await sendMail(port, {
      from: "Budi Santoso <budi@pelanggan.test>",
      to: `support@${DOMAIN}`,
      subject: "Tidak bisa login ke aplikasi",
      text: "Halo, sejak kemarin saya tidak bisa login. Mohon bantuannya.",
      messageId: "<first-mail-1@pelanggan.test>",
      attachments: [{ filename: "layar.png", content: Buffer.from("PNGDATA"), contentType: "image/png" }],
    });
    expect(info.response).toMatch(/^250 .*ticket #\d+ created/);
    const ticket = (await ticketByMessageId("<first-mail-1@pelanggan.test>"))!;
    expect(ticket).toMatchObject({
      channel: "email",
      group_id: t.groups.frontline,
      subject: "Tidak bisa login ke aplikasi",
      language: "id",
    });
    expect(ticket.description).toContain("sejak kemarin saya tidak bisa login");
    const customer = await t.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", ticket.requester_id)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ email: "budi@pelanggan.test", name: "Budi Santoso", role: "customer" });
    const files = await t.db
      .selectFrom("attachments")
      .select(["filename", "content_type", "size"])
      .where("ticket_id", "=", ticket.id)
      .execute();
    expect(files).toEqual([{ filename: "layar.png", content_type: "image/png", size: 7 }]);

    // The customer is told in their language, threaded to their own mail.
    const [received] = await outboxEmails(t, ticket.id);
    expect(received!.payload).toMatchObject({ to: "budi@pelanggan.test", template: "ticket.received", language: "id" });
    expect(received!.payload.subject).toContain(`[#${ticket.number}]`);
    expect(received!.payload.headers).toMatchObject({
      "In-Reply-To": "<first-mail-1@pelanggan.test>",
      "Reply-To": expect.stringMatching(new RegExp(`^support\\+${ticket.number}-[0-9a-f]{12}@${DOMAIN}$`)),
      "Auto-Submitted": "auto-generated",
    });
  });

  it("routes billing@ to the Billing department and answers in English when the mail is English", async () => {
    await sendMail(port, {
      from: "jane@customer.test",
      to: `Billing <billing@${DOMAIN.toUpperCase()}>`,
      subject: "Double charge on my card",
      text: "Hello, I was charged twice for my order. Please refund the second payment. Thanks",
      messageId: "<billing-1@customer.test>",
    });
    const ticket = (await ticketByMessageId("<billing-1@customer.test>"))!;
    expect(ticket).toMatchObject({ group_id: t.groups.billing, language: "en" });
    const [received] = await outboxEmails(t, ticket.id);
    expect(received!.payload.headers!["Reply-To"]).toMatch(/^billing\+/);
    expect(received!.payload.text).toContain("We received your request");
  });

  it("threads a reply by In-Reply-To / References, through our notification's Message-ID too", async () => {
    await sendMail(port, {
      from: "sari@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Paket belum sampai",
      text: "Paket saya belum sampai sejak 5 hari.",
      messageId: "<thread-root@pelanggan.test>",
    });
    const ticket = (await ticketByMessageId("<thread-root@pelanggan.test>"))!;
    const before = await t.count("tickets");
    // A reply to the customer's own first mail
    const r1 = await sendMail(port, {
      from: "sari@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Re: Paket belum sampai",
      text: "Ini nomor resi saya: JNE123",
      messageId: "<thread-2@pelanggan.test>",
      inReplyTo: "<thread-root@pelanggan.test>",
    });
    expect(r1.response).toMatch(/added to the ticket/);
    // A reply to our acknowledgement (its Message-ID recorded in mail_messages), with quoted history
    const [ack] = await outboxEmails(t, ticket.id);
    await sendMail(port, {
      from: "sari@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Re: something else entirely",
      text: `Sudah saya cek lagi, tetap belum sampai.\n\nPada Sen, 2 Mar 2026 pukul 10.00, Eskala <support@${DOMAIN}> menulis:\n> Permintaan Anda telah kami terima`,
      messageId: "<thread-3@pelanggan.test>",
      references: ["<unknown@elsewhere.test>", ack!.payload.headers!["Message-ID"]!],
    });
    expect(await t.count("tickets")).toBe(before);
    const messages = await t.db
      .selectFrom("messages")
      .select(["body", "channel", "kind", "email_message_id"])
      .where("ticket_id", "=", ticket.id)
      .orderBy("created_at")
      .execute();
    expect(messages).toEqual([
      {
        body: "Ini nomor resi saya: JNE123",
        channel: "email",
        kind: "reply",
        email_message_id: "<thread-2@pelanggan.test>",
      },
      {
        body: "Sudah saya cek lagi, tetap belum sampai.",
        channel: "email",
        kind: "reply",
        email_message_id: "<thread-3@pelanggan.test>",
      },
    ]);
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items.map((e: any) => e.type);
    expect(events.filter((e: string) => e === "message.added")).toHaveLength(2);
  });

  it("threads by [#number] in the subject only when From is the requester (DKIM-signed); a stranger gets a new ticket", async () => {
    const ticket = await t.createTicket({ subject: "Refund belum masuk", channel: "web" });
    const before = await t.count("tickets");
    await sendMail(port, {
      dkim: world.testLocalDkim,
      from: t.people.customer.email,
      to: `support@${DOMAIN}`,
      subject: `Re: [#${ticket.number}] Refund belum masuk`,
      text: "Masih belum masuk.",
      messageId: "<subj-1@test.local>",
    });
    expect((await ticketByMessageId("<subj-1@test.local>"))!.id).toBe(ticket.id);
    await sendMail(port, {
      from: "stranger@evil.test",
      to: `support@${DOMAIN}`,
      subject: `[#${ticket.number}] hijack`,
      text: "I want in",
      messageId: "<subj-2@evil.test>",
    });
    const other = (await ticketByMessageId("<subj-2@evil.test>"))!;
    expect(other.id).not.toBe(ticket.id);
    expect(await t.count("tickets")).toBe(before + 1);
  });

  it("threads by the signed Reply-To plus-address from anyone, and refuses nothing for a forged one (it just opens a ticket)", async () => {
    await sendMail(port, {
      from: "andi@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "OTP tidak masuk",
      text: "Kode OTP tidak pernah masuk.",
      messageId: "<plus-root@pelanggan.test>",
    });
    const ticket = (await ticketByMessageId("<plus-root@pelanggan.test>"))!;
    const [ack] = await outboxEmails(t, ticket.id);
    const replyTo = ack!.payload.headers!["Reply-To"]!;
    await sendMail(port, {
      from: "andi.kantor@pelanggan.test",
      to: replyTo,
      subject: "nomor saya",
      text: "Nomor HP saya 0812xxxx",
      messageId: "<plus-2@pelanggan.test>",
    });
    expect((await ticketByMessageId("<plus-2@pelanggan.test>"))!.id).toBe(ticket.id);
    await sendMail(port, {
      from: "x@evil.test",
      to: `support+${ticket.number}-000000000000@${DOMAIN}`,
      subject: "forged",
      text: "forged",
      messageId: "<plus-3@evil.test>",
    });
    expect((await ticketByMessageId("<plus-3@evil.test>"))!.id).not.toBe(ticket.id);
  });

  it("ignores a repeated Message-ID: no duplicate ticket or message", async () => {
    const mail = {
      from: "dup@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Dobel",
      text: "Pesan yang dikirim dua kali",
      messageId: "<dup-1@pelanggan.test>",
    };
    await sendMail(port, mail);
    const before = await counts(t, ALL_MAIL_TABLES);
    const again = await sendMail(port, mail);
    expect(again.response).toMatch(/already received/);
    // concurrent redeliveries too
    await Promise.all([sendMail(port, mail), sendMail(port, mail)]);
    expect(await counts(t, ALL_MAIL_TABLES)).toEqual(before);
  });

  it("never opens tickets nor replies for automatic mail, and logs why", async () => {
    const before = await counts(t, ["tickets", "messages", "outbox"]);
    const base = { from: "robot@pelanggan.test", to: `support@${DOMAIN}`, text: "I am away until Monday" };
    await sendMail(port, {
      ...base,
      subject: "Out of office",
      messageId: "<auto-1@x.test>",
      headers: { "Auto-Submitted": "auto-replied" },
    });
    await sendMail(port, {
      ...base,
      subject: "Newsletter",
      messageId: "<auto-2@x.test>",
      headers: { Precedence: "bulk" },
    });
    await sendMail(port, {
      ...base,
      subject: "Autoreply",
      messageId: "<auto-3@x.test>",
      headers: { "X-Autoreply": "yes" },
    });
    await sendMail(port, {
      ...base,
      from: "MAILER-DAEMON@mx.pelanggan.test",
      subject: "Undelivered Mail Returned to Sender",
      messageId: "<auto-4@x.test>",
    });
    // A bounce: empty return path and a delivery report
    const replies = await smtpTalk(port, [
      "EHLO mx.test",
      "MAIL FROM:<>",
      `RCPT TO:<support@${DOMAIN}>`,
      {
        data: "From: Mail Delivery System <postmaster@mx.test>\nTo: support@eskala.local\nSubject: Delivery Status Notification\nMessage-ID: <auto-5@x.test>\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nDelivery failed\n--b--\n",
      },
    ]);
    expect(replies.at(-1)).toMatch(/^250 /);
    // Our own notification bounced back into the intake is a loop, not a ticket.
    await sendMail(port, {
      from: `support@${DOMAIN}`,
      to: `support@${DOMAIN}`,
      subject: "[#1] loop",
      text: "loop",
      messageId: "<auto-6@x.test>",
    });
    expect(await counts(t, ["tickets", "messages", "outbox"])).toEqual(before);
    const logged = await t.db.selectFrom("mail_rejections").select(["reason", "message_id"]).orderBy("id").execute();
    expect(logged.map((r) => r.reason)).toEqual(["auto_submitted", "bulk", "autoreply", "bounce", "bounce", "loop"]);
  });

  it("turns 'eskalasi' in a customer's reply into an escalation request on the timeline", async () => {
    await sendMail(port, {
      from: "rina@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Saldo terpotong",
      text: "Saldo saya terpotong dua kali.",
      messageId: "<esc-root@pelanggan.test>",
    });
    const ticket = (await ticketByMessageId("<esc-root@pelanggan.test>"))!;
    await sendMail(port, {
      from: "rina@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Re: Saldo terpotong",
      text: "Sudah 3 hari belum ada jawaban, tolong eskalasi ke supervisor!",
      messageId: "<esc-2@pelanggan.test>",
      inReplyTo: "<esc-root@pelanggan.test>",
    });
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items;
    const request = events.find((e: any) => e.type === "escalation.requested");
    expect(request).toMatchObject({
      actor: { kind: "customer", id: ticket.requester_id },
      data: { reason: "wants_supervisor" },
    });
    if (t.services.engine) {
      // The engine's request: escalated to the supervisor and acknowledged to the customer, in Indonesian.
      const ack = (await outboxEmails(t, ticket.id)).find(
        (r) => r.payload.template === "escalation_request.acknowledged",
      );
      expect(ack!.payload.text).toMatch(/paling lambat: \w+, \d+ \w+ 20\d\d pukul \d\d\.\d\d WIB/);
    }
    // The customer sees it acknowledged on their timeline.
    const customerToken = (await t.services.auth.createToken(ticket.requester_id, "portal")).token;
    const mine = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`, { token: customerToken })).body.items;
    expect(mine.map((e: any) => e.type)).toContain("escalation.requested");
  });

  it("without the engine, still records the customer's escalation request on the timeline with the message", async () => {
    await sendMail(port, {
      from: "tono@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "Refund",
      text: "Refund saya belum masuk.",
      messageId: "<noeng-root@pelanggan.test>",
    });
    const ticket = (await ticketByMessageId("<noeng-root@pelanggan.test>"))!;
    const raw = `From: tono@pelanggan.test\r\nTo: support@${DOMAIN}\r\nSubject: Re: Refund\r\nMessage-ID: <noeng-2@pelanggan.test>\r\nIn-Reply-To: <noeng-root@pelanggan.test>\r\n\r\nTerlalu lama, tolong eskalasi.\r\n`;
    const deps = { ...t.services, escalationRequests: undefined, dns: world.dns };
    const result = await processInboundMail(
      deps,
      Buffer.from(raw),
      {
        mailFrom: "tono@pelanggan.test",
        clientIp: "127.0.0.1",
        helo: "mx.pelanggan.test",
        rcptTo: [`support@${DOMAIN}`],
      },
      { secret: "unused", log: pino({ level: "silent" }) },
    );
    expect(result).toMatchObject({ outcome: "message", ticketId: ticket.id });
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items;
    expect(events.find((e: any) => e.type === "escalation.requested")).toMatchObject({
      actor: { kind: "customer", id: ticket.requester_id },
      data: { reason: "too_slow", via: "email" },
    });
  });
});

describe("inbound email arriving together", () => {
  it("records each mail's Message-ID on its own ticket when mails and API creations share a transaction", async () => {
    // Creations at the same moment are written together (group commit); each mail's identity must
    // still land on the ticket it made, so a repeated delivery is recognised.
    const mails = Array.from({ length: 4 }, (_, i) => ({
      from: `Serentak ${i} <serentak${i}@pelanggan.test>`,
      to: `support@${DOMAIN}`,
      subject: `Bersamaan lewat email ${i}`,
      text: `Pesan ke-${i}`,
      messageId: `<together-${i}@pelanggan.test>`,
    }));
    const api = Array.from({ length: 4 }, (_, i) =>
      t.inject("POST", "/api/v1/tickets", {
        body: { subject: `Bersamaan lewat API ${i}`, description: "x", requester: { email: `api${i}@pelanggan.test` } },
      }),
    );
    const [sent, created] = await Promise.all([Promise.all(mails.map((m) => sendMail(port, m))), Promise.all(api)]);
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const [i, info] of sent.entries()) {
      expect(info.response).toMatch(/^250 /);
      const ticket = await ticketByMessageId(`<together-${i}@pelanggan.test>`);
      expect(ticket?.subject).toBe(`Bersamaan lewat email ${i}`);
    }
    for (const r of created) {
      const inbound = await t.db
        .selectFrom("mail_messages")
        .select("message_id")
        .where("ticket_id", "=", r.body.id)
        .where("direction", "=", "inbound")
        .execute();
      expect(inbound).toEqual([]);
    }
    // The same mails again: recognised, nothing new.
    const before = await t.count("tickets");
    await Promise.all(mails.map((m) => sendMail(port, m)));
    expect(await t.count("tickets")).toBe(before);
  });
});

describe("inbound email: refused input changes nothing", () => {
  it("refuses unknown recipients at RCPT with 550 and never relays", async () => {
    const before = await counts(t, ALL_MAIL_TABLES);
    const unknown = await refusal(
      sendMail(port, { from: "a@pelanggan.test", to: `nobody@${DOMAIN}`, subject: "x", text: "x" }),
    );
    expect(unknown.responseCode).toBe(550);
    expect(unknown.response).toMatch(/no such mailbox/);
    const relay = await refusal(
      sendMail(port, { from: "a@pelanggan.test", to: "victim@gmail.example", subject: "x", text: "x" }),
    );
    expect(relay.responseCode).toBe(550);
    expect(relay.response).toMatch(/Relaying denied/);
    const replies = await smtpTalk(port, [
      "EHLO x.test",
      "MAIL FROM:<a@pelanggan.test>",
      `RCPT TO:<support@${DOMAIN}.evil.test>`,
      "RCPT TO:<support@evil.test>",
    ]);
    expect(replies.slice(3)).toEqual([expect.stringMatching(/^550 /), expect.stringMatching(/^550 /)]);
    expect(await counts(t, ALL_MAIL_TABLES)).toEqual(before);
  });

  it("refuses mail over the size limit with 552", async () => {
    const before = await counts(t, ALL_MAIL_TABLES);
    const big = await refusal(
      sendMail(port, {
        from: "big@pelanggan.test",
        to: `support@${DOMAIN}`,
        subject: "big",
        text: "see file",
        attachments: [{ filename: "big.bin", content: Buffer.alloc(11 * 1024 * 1024, 1) }],
      }),
    );
    expect(big.responseCode).toBe(552);
    // Announced size too large is refused at MAIL FROM.
    const replies = await smtpTalk(port, ["EHLO x.test", "MAIL FROM:<big@pelanggan.test> SIZE=20000000"]);
    expect(replies.at(-1)).toMatch(/^552 /);
    expect(await counts(t, ALL_MAIL_TABLES)).toEqual(before);
  });

  it("refuses malformed mail with a clean SMTP error, and keeps serving", async () => {
    const before = await counts(t, ALL_MAIL_TABLES);
    const noFrom = await smtpTalk(port, [
      "EHLO x.test",
      "MAIL FROM:<a@pelanggan.test>",
      `RCPT TO:<support@${DOMAIN}>`,
      { data: "Subject: no sender\n\nbody" },
    ]);
    expect(noFrom.at(-1)).toMatch(/^550 5\.1\.7/);
    const garbage = await smtpTalk(port, [
      "EHLO x.test",
      "MAIL FROM:<a@pelanggan.test>",
      `RCPT TO:<support@${DOMAIN}>`,
      { data: "\u0000\u0001garbage without any header line" },
    ]);
    expect(garbage.at(-1)).toMatch(/^550 /);
    const badFrom = await smtpTalk(port, [
      "EHLO x.test",
      "MAIL FROM:<a@pelanggan.test>",
      `RCPT TO:<support@${DOMAIN}>`,
      { data: "From: not an address\nSubject: x\n\nbody" },
    ]);
    expect(badFrom.at(-1)).toMatch(/^550 /);
    const noRcpt = await smtpTalk(port, [
      "EHLO x.test",
      "MAIL FROM:<a@pelanggan.test>",
      { data: "From: a@pelanggan.test\n\nx" },
    ]);
    expect(noRcpt.at(-1)).toMatch(/^503 /);
    expect(await counts(t, ALL_MAIL_TABLES)).toEqual(before);
    // still alive
    const ok = await sendMail(port, {
      from: "alive@pelanggan.test",
      to: `support@${DOMAIN}`,
      subject: "masih hidup",
      text: "tes",
    });
    expect(ok.response).toMatch(/^250 /);
  });
});
