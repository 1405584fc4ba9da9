import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { createCalendar, createPolicy, fireAll, wib } from "./helpers.ts";

// The queues and the supervisor board sort by each ticket's nearest running deadline, which the
// SLA part keeps on the ticket with every change (first response, then the tier budget once answered).
const clock = manualClock(wib(2, "09:00"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const cal = await createCalendar(t);
  await createPolicy(t, { name: "Antrean", calendar_id: cal.id });
  await fireAll(t);
});
afterAll(async () => t?.close());

const at = (d: Date) => clock.set(d);
const iso = (d: Date) => d.toISOString();

interface QueueItem {
  id: string;
  next_due_at: string | null;
  next_due_target: string | null;
}

async function breaching(ids: string[], token = t.people.supervisor.token) {
  const res = await t.inject("GET", "/api/v1/queues/breaching", { token });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as QueueItem[])
    .filter((i) => ids.includes(i.id))
    .map((i) => [i.id, i.next_due_at, i.next_due_target]);
}

describe("the breaching queue and the board", () => {
  it("list the nearest deadline first, put a fresh breach on top of the board, and follow a reply", async () => {
    at(wib(2, "09:00"));
    const a = await t.createTicket({ subject: "Saldo terpotong dua kali" });
    at(wib(2, "09:20"));
    const b = await t.createTicket({ subject: "Tidak bisa login" });
    at(wib(2, "09:40"));
    const c = await t.createTicket({ subject: "Kartu terblokir" });
    const ids = [c.id, a.id, b.id];

    // First responses are due an hour after each creation: the oldest ticket first.
    expect(await breaching(ids)).toEqual([
      [a.id, iso(wib(2, "10:00")), "first_response"],
      [b.id, iso(wib(2, "10:20")), "first_response"],
      [c.id, iso(wib(2, "10:40")), "first_response"],
    ]);

    // 10:05: the first deadline has passed; the board shows it breached, above what breaches next.
    at(wib(2, "10:05"));
    await fireAll(t);
    const board = await t.inject("GET", "/api/v1/board", { token: t.people.supervisor.token });
    expect(board.status, board.text).toBe(200);
    const risk = (board.body.risk as { ticket: { id: string }; target: string; due_at: string; state: string }[])
      .filter((r) => ids.includes(r.ticket.id))
      .map((r) => [r.ticket.id, r.state, r.target, r.due_at]);
    expect(risk).toEqual([
      [a.id, "breached", "first_response", iso(wib(2, "10:00"))],
      [b.id, "at_risk", "first_response", iso(wib(2, "10:20"))],
      [c.id, "at_risk", "first_response", iso(wib(2, "10:40"))],
    ]);

    // An agent answers the breached ticket: its next deadline is now tier 1's budget (two business hours).
    at(wib(2, "10:10"));
    const reply = await t.inject("POST", `/api/v1/tickets/${a.id}/messages`, {
      token: t.people.agent1.token,
      body: { kind: "reply", body: "Sedang kami periksa" },
    });
    expect(reply.status, reply.text).toBe(201);
    expect(await breaching(ids)).toEqual([
      [b.id, iso(wib(2, "10:20")), "first_response"],
      [c.id, iso(wib(2, "10:40")), "first_response"],
      [a.id, iso(wib(2, "11:00")), "tier_budget"],
    ]);

    // Solved: no deadline runs any more, and the ticket leaves the queue.
    const solved = await t.inject("PATCH", `/api/v1/tickets/${a.id}`, {
      token: t.people.agent1.token,
      body: { status: "solved", resolution_code: "answered" },
    });
    expect(solved.status, solved.text).toBe(200);
    expect((await breaching(ids)).map(([id]) => id)).toEqual([b.id, c.id]);
  });
});
