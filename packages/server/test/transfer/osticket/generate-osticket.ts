import { readFileSync } from "node:fs";
import mysql from "mysql2/promise";

/**
 * A fresh osTicket 1.18 database in the machine's MariaDB for the importer's tests: osTicket's
 * schema (osticket-schema.sql) filled with a deterministic help desk — SLA plans, departments (one
 * a sub-department), help topics, a team, staff, organisations, users with their emails, a few
 * hundred tickets (open, overdue, answered, resolved, closed, archived) with their threads
 * (customer messages, agent responses, internal notes), attachments stored in the database — and a
 * few bad rows: a ticket whose user does not exist and thread entries whose thread has no ticket.
 */
export const mariadbUrl = (process.env.ESKALA_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/$/, "");

export interface OsTicketFixture {
  database: string;
  url: string;
  /** What a correct import creates (bad rows excluded). */
  expected: {
    departments: number;
    topics: number;
    slaPlans: number;
    staff: number;
    users: number;
    organizations: number;
    tickets: number;
    openTickets: number;
    overdueOpenTickets: number;
    closedTickets: number;
    messages: number;
    responses: number;
    notes: number;
    attachments: number;
  };
  bad: { ticketWithoutUser: number; orphanEntries: number[]; missingUserId: number };
  drop: () => Promise<void>;
}

const schemaSql = readFileSync(new URL("./osticket-schema.sql", import.meta.url), "utf8");

/** A small deterministic generator (mulberry32), so every run builds the same help desk. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.UTC(2026, 0, 5, 1, 0, 0);
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString().slice(0, 19).replace("T", " ");

export async function createOsTicketDatabase(opts: { tickets?: number; name?: string } = {}): Promise<OsTicketFixture> {
  const ticketCount = opts.tickets ?? 300;
  const database = opts.name ?? `eskala_osticket_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = await mysql.createConnection({ uri: mariadbUrl, multipleStatements: true, timezone: "Z" });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    await admin.query(`USE \`${database}\``);
    let expected: Awaited<ReturnType<typeof fill>>;
    try {
      await admin.query(schemaSql);
      expected = await fill(admin, ticketCount);
    } catch (err) {
      // A half-made database is not left behind.
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      throw err;
    }
    return {
      database,
      url: `${mariadbUrl}/${database}`,
      expected: expected.expected,
      bad: expected.bad,
      drop: async () => {
        const c = await mysql.createConnection({ uri: mariadbUrl });
        await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
        await c.end();
      },
    };
  } finally {
    await admin.end();
  }
}

type Row = Record<string, string | number | null | Buffer>;

async function insert(c: mysql.Connection, table: string, rows: Row[]) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await c.query(`INSERT INTO \`${table}\` (${cols.map((k) => `\`${k}\``).join(", ")}) VALUES ?`, [
      chunk.map((r) => cols.map((k) => r[k] ?? null)),
    ]);
  }
}

async function fill(c: mysql.Connection, ticketCount: number) {
  const rnd = random(21);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const stamp = { created: at(0), updated: at(0) };

  // SLA plans: flags 1 = active; grace_period in hours.
  await insert(c, "ost_sla", [
    { id: 1, flags: 3, grace_period: 48, name: "Default SLA", notes: "", ...stamp },
    { id: 2, flags: 3, grace_period: 8, name: "Priority support", notes: "", ...stamp },
    { id: 3, flags: 0, grace_period: 0, name: "No deadline", notes: "grace period 0: nothing to map", ...stamp },
  ]);
  await insert(c, "ost_department", [
    { id: 1, pid: null, sla_id: 1, name: "Support", signature: "", path: "/1/", ...stamp },
    { id: 2, pid: null, sla_id: 0, name: "Sales", signature: "", path: "/2/", ...stamp },
    { id: 3, pid: null, sla_id: 2, name: "Billing", signature: "", path: "/3/", ...stamp },
    { id: 4, pid: 1, sla_id: 0, name: "Maintenance", signature: "", path: "/1/4/", ...stamp },
  ]);
  await insert(c, "ost_help_topic", [
    { topic_id: 1, topic_pid: 0, dept_id: 1, sla_id: 0, topic: "General Inquiry", ...stamp },
    { topic_id: 2, topic_pid: 0, dept_id: 1, sla_id: 2, topic: "Report a Problem", ...stamp },
    { topic_id: 3, topic_pid: 2, dept_id: 4, sla_id: 0, topic: "Access Issue", ...stamp },
    { topic_id: 4, topic_pid: 0, dept_id: 3, sla_id: 2, topic: "Billing question", ...stamp },
    { topic_id: 5, topic_pid: 0, dept_id: 2, sla_id: 0, topic: "Feedback", ...stamp },
  ]);
  await insert(c, "ost_team", [{ team_id: 1, lead_id: 2, flags: 1, name: "Level II Support", notes: "", ...stamp }]);
  const staff = [
    ["admin", "Ayu", "Lestari", 1, 1],
    ["budi", "Budi", "Santoso", 1, 0],
    ["citra", "Citra", "Wulandari", 1, 0],
    ["dewi", "Dewi", "Anggraini", 3, 0],
    ["eko", "Eko", "Prasetyo", 2, 0],
    ["fajar", "Fajar", "Nugroho", 4, 0],
  ] as const;
  await insert(
    c,
    "ost_staff",
    staff.map(([username, firstname, lastname, dept, isadmin], i) => ({
      staff_id: i + 1,
      dept_id: dept,
      role_id: 1,
      username,
      firstname,
      lastname,
      email: `${username}@helpdesk.example.co.id`,
      signature: "",
      isadmin,
      lang: i % 2 ? "id" : "en_US",
      ...stamp,
    })),
  );
  const orgCount = 10;
  await insert(
    c,
    "ost_organization",
    Array.from({ length: orgCount }, (_, i) => ({
      id: i + 1,
      name: `PT Pelanggan ${i + 1}`,
      domain: `pelanggan${i + 1}.example.co.id`,
      extra: "{}",
      ...stamp,
    })),
  );
  const userCount = 120;
  const users: Row[] = [];
  const emails: Row[] = [];
  const accounts: Row[] = [];
  for (let i = 1; i <= userCount; i++) {
    const org = i % 3 === 0 ? 0 : ((i - 1) % orgCount) + 1;
    users.push({ id: i, org_id: org, default_email_id: i, status: 0, name: `Pelanggan ${i}`, ...stamp });
    emails.push({
      id: i,
      user_id: i,
      flags: 0,
      address: `pelanggan${i}@${org ? `pelanggan${org}` : "mail"}.example.co.id`,
    });
    if (i % 4 === 0)
      accounts.push({
        id: accounts.length + 1,
        user_id: i,
        status: 1,
        lang: i % 8 === 0 ? "id" : "en_US",
        username: null,
      });
  }
  await insert(c, "ost_user", users);
  await insert(c, "ost_user_email", emails);
  await insert(c, "ost_user_account", accounts);
  await insert(c, "ost_ticket_status", [
    { id: 1, name: "Open", state: "open", mode: 3, sort: 1, properties: "{}", ...stamp },
    { id: 2, name: "Resolved", state: "closed", mode: 1, sort: 2, properties: "{}", ...stamp },
    { id: 3, name: "Closed", state: "closed", mode: 3, sort: 3, properties: "{}", ...stamp },
    { id: 4, name: "Archived", state: "archived", mode: 3, sort: 4, properties: "{}", ...stamp },
  ]);
  await insert(c, "ost_ticket_priority", [
    {
      priority_id: 1,
      priority: "low",
      priority_desc: "Low",
      priority_color: "#DDFFDD",
      priority_urgency: 4,
      ispublic: 1,
    },
    {
      priority_id: 2,
      priority: "normal",
      priority_desc: "Normal",
      priority_color: "#FFFFF0",
      priority_urgency: 3,
      ispublic: 1,
    },
    {
      priority_id: 3,
      priority: "high",
      priority_desc: "High",
      priority_color: "#FEE7E7",
      priority_urgency: 2,
      ispublic: 1,
    },
    {
      priority_id: 4,
      priority: "emergency",
      priority_desc: "Emergency",
      priority_color: "#FEE7E7",
      priority_urgency: 1,
      ispublic: 0,
    },
  ]);

  const tickets: Row[] = [];
  const cdata: Row[] = [];
  const threads: Row[] = [];
  const entries: Row[] = [];
  const e = { tickets: 0, open: 0, overdue: 0, closed: 0, messages: 0, responses: 0, notes: 0 };
  let entryId = 0;
  // One ticket more than asked: the last one names a user that does not exist.
  for (let t = 1; t <= ticketCount + 1; t++) {
    const bad = t === ticketCount + 1;
    const created = t * 90 + Math.floor(rnd() * 60);
    const topic = pick([1, 2, 3, 4, 5]);
    const dept = ({ 1: 1, 2: 1, 3: 4, 4: 3, 5: 2 } as Record<number, number>)[topic]!;
    const sla = dept === 3 || topic === 2 ? 2 : dept === 1 || dept === 4 ? 1 : 0;
    const status = t % 10 < 5 ? 1 : t % 10 < 7 ? 2 : t % 10 < 9 ? 3 : 4;
    const isOpen = status === 1;
    const overdue = isOpen && t % 4 === 0;
    const userId = bad ? 99999 : ((t * 7) % userCount) + 1;
    const staffId = t % 5 === 0 ? 0 : (t % staff.length) + 1;
    const graceHours = sla === 1 ? 48 : sla === 2 ? 8 : 0;
    const closed = isOpen ? null : at(created + 600 + (t % 7) * 60);
    tickets.push({
      ticket_id: t,
      number: String(100000 + t * 37),
      user_id: userId,
      user_email_id: 0,
      status_id: status,
      dept_id: dept,
      sla_id: sla,
      topic_id: topic,
      staff_id: staffId,
      team_id: t % 11 === 0 ? 1 : 0,
      source: pick(["Web", "Email", "Phone", "API"]),
      isoverdue: overdue ? 1 : 0,
      isanswered: isOpen && t % 3 === 0 ? 1 : 0,
      duedate: overdue ? at(created + 120) : null,
      est_duedate: graceHours ? at(created + graceHours * 60) : null,
      closed,
      lastupdate: closed ?? at(created + 30),
      created: at(created),
      updated: closed ?? at(created + 30),
    });
    cdata.push({
      ticket_id: t,
      subject: `Pesanan ${t}: ${pick(["tidak bisa login", "tagihan ganda", "barang belum sampai", "minta faktur", "aplikasi error"])}`,
      priority: String(pick([1, 2, 2, 2, 3, 4])),
    });
    threads.push({ id: t, object_id: t, object_type: "T", extra: null, created: at(created) });
    const n = 1 + Math.floor(rnd() * 5);
    for (let k = 0; k < n; k++) {
      const type = k === 0 ? "M" : pick(["M", "R", "R", "N"]);
      const isStaff = type !== "M";
      entryId++;
      entries.push({
        id: entryId,
        pid: 0,
        thread_id: t,
        staff_id: isStaff ? staffId || 2 : 0,
        user_id: isStaff ? 0 : userId,
        type,
        flags: 0,
        poster: isStaff ? "Staff" : `Pelanggan ${userId}`,
        source: k === 0 ? "Web" : "",
        title: k === 0 ? "Ticket opened" : null,
        body:
          type === "N"
            ? `<p>Catatan internal ${entryId}: cek log server.</p>`
            : `<p>Pesan ${entryId} &amp; <b>detail</b></p>`,
        format: "html",
        created: at(created + k * 15),
        updated: at(created + k * 15),
      });
      if (!bad) {
        if (type === "M") e.messages++;
        else if (type === "R") e.responses++;
        else e.notes++;
      }
    }
    if (!bad) {
      e.tickets++;
      if (isOpen) e.open++;
      else e.closed++;
      if (overdue) e.overdue++;
    }
  }
  // Entries of a thread whose ticket does not exist (thread 99999 is not in ost_thread).
  const orphanEntries = [entryId + 1, entryId + 2];
  for (const id of orphanEntries)
    entries.push({
      id,
      pid: 0,
      thread_id: 99999,
      staff_id: 0,
      user_id: 1,
      type: "M",
      flags: 0,
      poster: "Ghost",
      source: "",
      title: null,
      body: "lost",
      format: "text",
      created: at(10),
      updated: at(10),
    });
  await insert(c, "ost_ticket", tickets);
  await insert(c, "ost_ticket__cdata", cdata);
  await insert(c, "ost_thread", threads);
  await insert(c, "ost_thread_entry", entries);

  // Attachments: every 25th entry of a valid ticket gets a file stored in the database, some of two chunks.
  const files: Row[] = [];
  const chunks: Row[] = [];
  const attachments: Row[] = [];
  const validEntries = entries.filter((r) => (r.thread_id as number) <= ticketCount);
  for (let i = 0; i < validEntries.length; i += 25) {
    const entry = validEntries[i]!;
    const id = files.length + 1;
    const data = Buffer.from(`isi lampiran ${id}\n`.repeat(10 + (id % 50)));
    const pdf = id % 2 === 0;
    files.push({
      id,
      ft: "T",
      bk: "D",
      type: pdf ? "application/pdf" : "text/plain",
      size: data.length,
      key: `key${id}`,
      signature: `sig${id}`,
      name: pdf ? `faktur-${id}.pdf` : `log-${id}.txt`,
      created: entry.created as string,
    });
    const half = id % 3 === 0 ? Math.floor(data.length / 2) : data.length;
    chunks.push({ file_id: id, chunk_id: 0, filedata: data.subarray(0, half) });
    if (half < data.length) chunks.push({ file_id: id, chunk_id: 1, filedata: data.subarray(half) });
    attachments.push({ id, object_id: entry.id as number, type: "H", file_id: id, name: null, inline: 0 });
  }
  await insert(c, "ost_file", files);
  await insert(c, "ost_file_chunk", chunks);
  await insert(c, "ost_attachment", attachments);

  return {
    expected: {
      departments: 4,
      topics: 5,
      slaPlans: 2,
      staff: staff.length,
      users: userCount,
      organizations: orgCount,
      tickets: e.tickets,
      openTickets: e.open,
      overdueOpenTickets: e.overdue,
      closedTickets: e.closed,
      messages: e.messages,
      responses: e.responses,
      notes: e.notes,
      attachments: attachments.length,
    },
    bad: { ticketWithoutUser: ticketCount + 1, orphanEntries, missingUserId: 99999 },
  };
}
