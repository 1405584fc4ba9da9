import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import type { TestApp } from "../harness.ts";
import { checkSender } from "../../src/channels/mail/sender-auth.ts";
import { counts, DOMAIN, outboxEmails, sendMail, smtpTalk, startChannelsApp, startMailIntake } from "./helpers.ts";
import { dkimKey, testMailWorld } from "./mail-dns.ts";

// Sender verification and mail loops, through real SMTP sessions with the listener. DNS is the
// fake world of mail-dns.ts: the customer's domain test.local publishes SPF (not this machine),
// a DKIM key and DMARC p=reject.
const world = testMailWorld();
let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startChannelsApp();
  t.services.mailDns = world.dns;
  port = await startMailIntake(t);
});
afterAll(async () => t?.close());

const ticketByMessageId = async (messageId: string) => {
  const row = await t.db
    .selectFrom("mail_messages")
    .select("ticket_id")
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  return row && t.db.selectFrom("tickets").selectAll().where("id", "=", row.ticket_id).executeTakeFirstOrThrow();
};
const messagesOf = (ticketId: string) =>
  t.db
    .selectFrom("messages")
    .select(["body", "kind", "author_id"])
    .where("ticket_id", "=", ticketId)
    .orderBy("created_at")
    .execute();
const eventTypes = async (ticketId: string) =>
  (await t.inject("GET", `/api/v1/tickets/${ticketId}/events`)).body.items.map((e: { type: string }) => e.type);

/** A ticket of the harness's customer (customer@test.local) that began with a mail we know the Message-ID of. */
async function customerTicket(tag: string) {
  const info = await sendMail(port, {
    dkim: world.testLocalDkim,
    from: t.people.customer.email,
    to: `support@${DOMAIN}`,
    subject: `Saldo terpotong ${tag}`,
    text: "Saldo saya terpotong dua kali.",
    messageId: `<${tag}-root@test.local>`,
  });
  expect(info.response).toMatch(/ticket #\d+ created/);
  return (await ticketByMessageId(`<${tag}-root@test.local>`))!;
}

describe("inbound email: only a proven sender joins a ticket", () => {
  it("a spoofed From with [#N] and 'eskalasi' opens a new ticket marked unverified, never a request in the customer's name", async () => {
    const ticket = await customerTicket("spoof1");
    const before = await messagesOf(ticket.id);
    // The attacker's own envelope passes SPF for evil.test, which is not aligned with From.
    const info = await sendMail(port, {
      envelope: { from: "attacker@evil.test", to: [`support@${DOMAIN}`] },
      from: t.people.customer.email,
      to: `support@${DOMAIN}`,
      subject: `Re: [#${ticket.number}] Saldo terpotong`,
      text: "Sudah terlalu lama, tolong eskalasi ke supervisor!",
      messageId: "<spoof1-attack@evil.test>",
    });
    const fresh = (await ticketByMessageId("<spoof1-attack@evil.test>"))!;
    expect(info.response).toMatch(new RegExp(`ticket #${fresh.number} created`));
    expect(fresh.id).not.toBe(ticket.id);
    expect(await messagesOf(ticket.id)).toEqual(before);
    expect(await eventTypes(ticket.id)).not.toContain("escalation.requested");
    expect(await eventTypes(fresh.id)).not.toContain("escalation.requested");
    const [note] = await messagesOf(fresh.id);
    expect(note).toMatchObject({ kind: "note", author_id: null });
    expect(note!.body).toContain(`tidak ditambahkan ke tiket #${ticket.number}`);
    expect(note!.body).toContain(`It was not added to ticket #${ticket.number}`);
    expect(note!.body).toContain("did not pass the DMARC check (result: fail)");
    // The note is internal: the customer does not see it.
    const mine = await t.inject("GET", `/api/v1/tickets/${fresh.id}/messages`, { token: t.people.customer.token });
    expect(JSON.stringify(mine.body)).not.toContain("DMARC");
  });

  it("a spoofed From with a known In-Reply-To, sent from a machine the domain's SPF does not name, opens a new ticket", async () => {
    const ticket = await customerTicket("spoof2");
    const info = await sendMail(port, {
      from: t.people.customer.email,
      to: `support@${DOMAIN}`,
      subject: "Re: Saldo terpotong",
      text: "Tolong kirim ulang data akun saya ke alamat baru.",
      messageId: "<spoof2-attack@evil.test>",
      inReplyTo: "<spoof2-root@test.local>",
    });
    expect(info.response).toMatch(/ticket #\d+ created/);
    expect((await ticketByMessageId("<spoof2-attack@evil.test>"))!.id).not.toBe(ticket.id);
    expect(await messagesOf(ticket.id)).toEqual([]);
  });

  it("a DKIM signature made with someone else's key proves nothing", async () => {
    const ticket = await customerTicket("spoof3");
    const forged = dkimKey("test.local").sign;
    await sendMail(port, {
      dkim: forged,
      from: t.people.customer.email,
      to: `support@${DOMAIN}`,
      subject: `[#${ticket.number}] eskalasi`,
      text: "Tolong eskalasi.",
      messageId: "<spoof3-attack@evil.test>",
      inReplyTo: "<spoof3-root@test.local>",
    });
    expect((await ticketByMessageId("<spoof3-attack@evil.test>"))!.id).not.toBe(ticket.id);
    expect(await eventTypes(ticket.id)).not.toContain("escalation.requested");
  });

  it("the customer's own DKIM-signed reply joins the ticket and may ask for escalation", async () => {
    const ticket = await customerTicket("real");
    const info = await sendMail(port, {
      dkim: world.testLocalDkim,
      from: t.people.customer.email,
      to: `support@${DOMAIN}`,
      subject: "Re: Saldo terpotong",
      text: "Sudah 3 hari belum ada jawaban, tolong eskalasi ke supervisor!",
      messageId: "<real-2@test.local>",
      inReplyTo: "<real-root@test.local>",
    });
    expect(info.response).toMatch(/added to the ticket/);
    expect(await messagesOf(ticket.id)).toEqual([
      {
        body: "Sudah 3 hari belum ada jawaban, tolong eskalasi ke supervisor!",
        kind: "reply",
        author_id: ticket.requester_id,
      },
    ]);
    expect(await eventTypes(ticket.id)).toContain("escalation.requested");
  });

  it("a verified sender who is not on the ticket opens a new one; a collaborator joins", async () => {
    const ticket = await customerTicket("collab");
    const mail = (n: number) => ({
      dkim: world.testLocalDkim,
      from: t.people.otherCustomer.email,
      to: `support@${DOMAIN}`,
      subject: `Re: [#${ticket.number}] Saldo terpotong`,
      text: "Saya rekan kerjanya.",
      messageId: `<collab-${n}@test.local>`,
    });
    await sendMail(port, mail(1));
    const fresh = (await ticketByMessageId("<collab-1@test.local>"))!;
    expect(fresh.id).not.toBe(ticket.id);
    expect((await messagesOf(fresh.id))[0]!.body).toContain(
      `This email refers to ticket #${ticket.number}, but its sender (${t.people.otherCustomer.email}) is not the requester`,
    );
    await t.db
      .updateTable("tickets")
      .set({ collaborator_ids: [t.people.otherCustomer.id] })
      .where("id", "=", ticket.id)
      .execute();
    await sendMail(port, mail(2));
    expect((await ticketByMessageId("<collab-2@test.local>"))!.id).toBe(ticket.id);
  });
});

describe("inbound email: loops and unstorable characters", () => {
  it("never answers list mail or mail that asks not to be auto-answered, and logs why", async () => {
    const before = await counts(t, ["tickets", "messages", "outbox"]);
    const base = { from: "news@pelanggan.test", to: `support@${DOMAIN}`, text: "Our weekly news" };
    await sendMail(port, {
      ...base,
      subject: "List",
      messageId: "<list-1@x.test>",
      headers: { "List-Id": "<news.pelanggan.test>" },
    });
    await sendMail(port, {
      ...base,
      subject: "Unsubscribe",
      messageId: "<list-2@x.test>",
      list: { unsubscribe: "https://pelanggan.test/unsubscribe" },
    });
    await sendMail(port, {
      ...base,
      subject: "Exchange",
      messageId: "<list-3@x.test>",
      headers: { "X-Auto-Response-Suppress": "OOF, AutoReply" },
    });
    expect(await counts(t, ["tickets", "messages", "outbox"])).toEqual(before);
    const logged = await t.db
      .selectFrom("mail_rejections")
      .select(["reason", "message_id"])
      .where("message_id", "like", "<list-%")
      .orderBy("id")
      .execute();
    expect(logged).toEqual([
      { reason: "bulk", message_id: "<list-1@x.test>" },
      { reason: "bulk", message_id: "<list-2@x.test>" },
      { reason: "autoreply", message_id: "<list-3@x.test>" },
    ]);
    // Suppressing only delivery and read receipts is a person's mail: a ticket, answered.
    const human = await sendMail(port, {
      ...base,
      subject: "Pertanyaan",
      messageId: "<list-4@x.test>",
      headers: { "X-Auto-Response-Suppress": "DR, RN, NRN" },
    });
    expect(human.response).toMatch(/ticket #\d+ created/);
  });

  it("accepts mail with an encoded NUL or a lone surrogate with 250 and stores it cleaned", async () => {
    const talk = (data: string) =>
      smtpTalk(port, [
        "EHLO mx.pelanggan.test",
        "MAIL FROM:<nul@pelanggan.test>",
        `RCPT TO:<support@${DOMAIN}>`,
        { data },
      ]);
    const utf16 = Buffer.from([0x41, 0, 0x00, 0xd8, 0x42, 0]).toString("base64"); // "A", a lone high surrogate, "B"
    const mails = [
      // quoted-printable =00 in the body and in an encoded-word subject
      `From: Nul <nul@pelanggan.test>\nTo: support@${DOMAIN}\nSubject: =?utf-8?q?Tagihan=00ganda?=\nMessage-ID: <nul-1@pelanggan.test>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nSaldo=00 saya terpotong\n`,
      // a base64 body with NUL bytes and a NUL in the sender's name
      `From: =?utf-8?b?${Buffer.from("Bu\0di").toString("base64")}?= <budi.nul@pelanggan.test>\nTo: support@${DOMAIN}\nSubject: Base64\nMessage-ID: <nul-2@pelanggan.test>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from("Halo\0\0 dunia").toString("base64")}\n`,
      // a broken UTF-16 subject: a lone surrogate
      `From: nul@pelanggan.test\nTo: support@${DOMAIN}\nSubject: =?utf-16le?b?${utf16}?=\nMessage-ID: <nul-3@pelanggan.test>\n\nSurrogate\n`,
      // a subject cut at the length limit in the middle of an emoji
      `From: nul@pelanggan.test\nTo: support@${DOMAIN}\nSubject: =?utf-8?b?${Buffer.from(`${"a".repeat(249)}😀 tail`).toString("base64")}?=\nMessage-ID: <nul-4@pelanggan.test>\n\nLong subject\n`,
    ];
    for (const data of mails) expect((await talk(data)).at(-1)).toMatch(/^250 .*ticket #\d+ created/);
    const [t1, t2, t3, t4] = await Promise.all([1, 2, 3, 4].map((i) => ticketByMessageId(`<nul-${i}@pelanggan.test>`)));
    expect(t1).toMatchObject({ subject: "Tagihanganda", description: "Saldo saya terpotong" });
    expect(t2).toMatchObject({ description: "Halo dunia" });
    const budi = await t.db
      .selectFrom("users")
      .select("name")
      .where("id", "=", t2!.requester_id)
      .executeTakeFirstOrThrow();
    expect(budi.name).toBe("Budi");
    expect(t3!.subject).toBe("AB");
    expect(t4!.subject).toBe("a".repeat(249));
    // Each is acknowledged once, as any other mail.
    for (const ticket of [t1, t2, t3, t4]) expect(await outboxEmails(t, ticket!.id)).toHaveLength(1);
  });

  it("adds a reply with an encoded NUL to its ticket, cleaned", async () => {
    const ticket = await customerTicket("nulreply");
    const [ack] = await outboxEmails(t, ticket.id);
    const replies = await smtpTalk(port, [
      "EHLO mx.test.local",
      "MAIL FROM:<customer@test.local>",
      `RCPT TO:<${ack!.payload.headers!["Reply-To"]}>`,
      {
        data: `From: customer@test.local\nTo: support@${DOMAIN}\nSubject: Re: x\nMessage-ID: <nulreply-2@test.local>\nContent-Transfer-Encoding: quoted-printable\n\nNomor=00 resi JNE123\n`,
      },
    ]);
    expect(replies.at(-1)).toMatch(/^250 .*added to the ticket/);
    expect(await messagesOf(ticket.id)).toEqual([
      { body: "Nomor resi JNE123", kind: "reply", author_id: ticket.requester_id },
    ]);
  });
});

describe("inbound email: odd senders", () => {
  it("refuses a From address longer than SMTP allows with 550, and a long name is cut, on a reply too", async () => {
    const ticket = await customerTicket("odd");
    const [ack] = await outboxEmails(t, ticket.id);
    const replyTo = ack!.payload.headers!["Reply-To"]!;
    const before = await counts(t, ["tickets", "messages", "users"]);
    const long = await smtpTalk(port, [
      "EHLO mx.pelanggan.test",
      "MAIL FROM:<x@pelanggan.test>",
      `RCPT TO:<${replyTo}>`,
      // Random, so it does not compress: too long for the email index too.
      {
        data: `From: ${randomBytes(1500).toString("hex")}@pelanggan.test\nSubject: x\nMessage-ID: <odd-1@pelanggan.test>\n\nhalo\n`,
      },
    ]);
    expect(long.at(-1)).toMatch(/^550 5\.1\.7/);
    expect(await counts(t, ["tickets", "messages", "users"])).toEqual(before);
    const named = await sendMail(port, {
      from: { name: "N".repeat(500), address: "kolega@pelanggan.test" },
      to: replyTo,
      subject: "Re: x",
      text: "Saya rekan kerjanya.",
      messageId: "<odd-2@pelanggan.test>",
    });
    expect(named.response).toMatch(/added to the ticket/);
    const kolega = await t.db
      .selectFrom("users")
      .select("name")
      .where("email", "=", "kolega@pelanggan.test")
      .executeTakeFirstOrThrow();
    expect(kolega.name).toBe("N".repeat(120));
  });
});

describe("sender verification behind a relay (ESKALA_SMTP_TRUST_RECEIVED)", () => {
  const relayed = Buffer.from(
    [
      "Return-Path: <customer@test.local>",
      "Received: from mx.test.local (mx.test.local [192.0.2.10]) by relay.eskala.local with ESMTP id 1; Mon, 2 Mar 2026 10:00:00 +0000",
      "From: customer@test.local",
      `To: support@${DOMAIN}`,
      "Subject: Re: Saldo",
      "Message-ID: <relayed@test.local>",
      "",
      "Masih belum masuk.",
      "",
    ].join("\r\n"),
  );
  const opts = { resolver: world.dns, mta: DOMAIN, log: pino({ level: "silent" }) };
  // The relay connects from 10.0.0.5: by the connection, test.local's SPF fails.
  const session = { mailFrom: "customer@test.local", clientIp: "10.0.0.5", helo: "relay.eskala.local" };

  it("checks SPF against the relay's connection by default, against its Received header when trusted", async () => {
    expect(await checkSender(relayed, session, { ...opts, trustReceived: false })).toEqual({
      verified: false,
      dmarc: "fail",
    });
    expect(await checkSender(relayed, session, { ...opts, trustReceived: true })).toEqual({
      verified: true,
      dmarc: "pass",
    });
  });
});
