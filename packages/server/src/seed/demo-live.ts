/**
 * The demo's customers keep writing: every 30 to 90 seconds (by default) one of them opens a new
 * ticket or replies on one of their open tickets, through the same services the portal and the
 * email channel use, so routing, SLA clocks, rules and the live stream react as they would to a
 * real customer. Runs only on a help desk that has the demo's customers.
 */
import { sql } from "kysely";
import type { Composition } from "../compose.ts";
import { CUSTOMERS, CUSTOMER_REPLIES, REQUESTS } from "./demo-data.ts";

export interface DemoLiveOptions {
  /** Shortest and longest pause between two customer actions (ms). */
  minMs?: number;
  maxMs?: number;
  random?: () => number;
  /** Told after each action: what happened, for the log. */
  onActivity?: (what: "ticket" | "reply", ticketNumber: number) => void;
  onError?: (err: unknown) => void;
}

export interface DemoLive {
  /** One customer action now (a new ticket or a reply); returns what it did, or null without demo customers. */
  step(): Promise<{ what: "ticket" | "reply"; number: number } | null>;
  stop(): Promise<void>;
}

/** Whether the demo's customers are there (the live demo never writes into another help desk). */
export async function hasDemoCustomers(app: Pick<Composition, "database">): Promise<boolean> {
  const row = await app.database.db
    .selectFrom("users")
    .select("id")
    .where(sql<boolean>`lower(email) = ${CUSTOMERS[0]!.email}`)
    .where("role", "=", "customer")
    .executeTakeFirst();
  return !!row;
}

/** Starts the live demo; `step` may also be called directly (tests). */
export function startDemoLive(app: Composition, opts: DemoLiveOptions = {}): DemoLive {
  const minMs = opts.minMs ?? 30_000;
  const maxMs = Math.max(minMs, opts.maxMs ?? 90_000);
  const random = opts.random ?? Math.random;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const { db } = app.database;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();

  async function adminActor() {
    const admin = await db
      .selectFrom("users")
      .select("id")
      .where("role", "=", "admin")
      .where("disabled", "=", false)
      .orderBy("created_at")
      .executeTakeFirst();
    return admin ? app.auth.loadActor(admin.id, "system") : null;
  }

  async function step(): Promise<{ what: "ticket" | "reply"; number: number } | null> {
    if (!(await hasDemoCustomers(app))) return null;
    const actor = await adminActor();
    if (!actor) return null;
    const customer = pick(CUSTOMERS);
    const lang = customer.language;
    const now = app.clock.now();
    // A reply where the customer has an open ticket that waits on us, else a new ticket.
    const open =
      random() < 0.55
        ? await db
            .selectFrom("tickets as t")
            .innerJoin("users as u", "u.id", "t.requester_id")
            .select(["t.id", "t.number"])
            .where("u.email", "=", customer.email)
            .where("t.status", "in", ["open", "pending"])
            .orderBy("t.updated_at", "desc")
            .limit(1)
            .executeTakeFirst()
        : undefined;
    if (open) {
      await app.messages.add(
        actor,
        open.id,
        { kind: "reply", body: pick(CUSTOMER_REPLIES[lang].slice(0, 3)), author_email: customer.email },
        now,
      );
      return { what: "reply", number: open.number };
    }
    const request = pick(REQUESTS);
    const [subject, description] = request[lang];
    const ticket = await app.tickets.create(
      actor,
      {
        subject,
        description,
        requester: { email: customer.email, name: customer.name, language: lang },
        priority: pick(["low", "medium", "medium", "high"] as const),
        category: request.category,
        channel: pick(["email", "web", "chat"] as const),
        language: lang,
      },
      now,
    );
    return { what: "ticket", number: ticket.number };
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = step()
          .then((done) => done && opts.onActivity?.(done.what, done.number))
          .catch((err) => opts.onError?.(err))
          .finally(schedule);
      },
      minMs + random() * (maxMs - minMs),
    );
    timer.unref?.();
  }
  schedule();

  return {
    step,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
