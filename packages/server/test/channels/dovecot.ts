import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";

/** The mail processes' user: Dovecot refuses root for them. */
const MAIL_UID = 65534;
const MAIL_GID = 65534;

export interface Dovecot {
  host: string;
  port: number;
  /** The users: name → password. */
  users: Record<string, string>;
  /** A signed-in imapflow client (close it with logout). */
  client(user?: string): Promise<ImapFlow>;
  /** Delivers raw messages by APPEND (one connection); returns their UIDs. */
  append(user: string, messages: (string | Buffer)[], folder?: string): Promise<number[]>;
  /** The UIDs in a folder and whether each is \Seen. */
  list(user: string, folder?: string): Promise<{ uid: number; seen: boolean }[]>;
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Dovecot exited (${child.exitCode}):\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, "127.0.0.1");
      c.once("connect", () => {
        c.destroy();
        resolve(true);
      });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Dovecot did not listen on ${port}:\n${log()}`);
}

/**
 * Starts a real Dovecot (Debian's dovecot-imapd, /usr/sbin/dovecot) for a test: a minimal
 * configuration in a temporary directory, IMAP without TLS on a free local port, users from a
 * passwd-file, Maildir in the same directory, run in the foreground (`-F -c`), as root.
 */
export async function startDovecot(users: Record<string, string> = { support: "rahasia-1" }): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), "eskala-dovecot-"));
  // The mail processes (not root) must reach their Maildir below it.
  chmodSync(dir, 0o755);
  for (const d of ["run", "state", "mail"]) mkdirSync(join(dir, d));
  chownSync(join(dir, "mail"), MAIL_UID, MAIL_GID);
  const port = await freePort();
  writeFileSync(
    join(dir, "passwd"),
    Object.entries(users)
      .map(([u, p]) => `${u}:{PLAIN}${p}::::\n`)
      .join(""),
  );
  const logPath = join(dir, "dovecot.log");
  writeFileSync(
    join(dir, "dovecot.conf"),
    `instance_name = eskala-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
# A throwaway store: no fsync (APPENDs of a benchmark are not held up by the disk).
mail_fsync = never
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  # No growing delay after a refused login (the tests refuse some on purpose).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`,
  );
  const child = spawn("/usr/sbin/dovecot", ["-F", "-c", join(dir, "dovecot.conf")], { stdio: "ignore" });
  const log = () => {
    try {
      return readFileSync(logPath, "utf8");
    } catch {
      return "";
    }
  };
  await waitForPort(port, child, log);

  const client = async (user = Object.keys(users)[0]!) => {
    const c = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: users[user]! },
      logger: false,
    });
    c.on("error", () => {});
    await c.connect();
    return c;
  };
  return {
    host: "127.0.0.1",
    port,
    users,
    client,
    async append(user, messages, folder = "INBOX") {
      const c = await client(user);
      try {
        const uids: number[] = [];
        for (const m of messages) {
          const r = await c.append(folder, m);
          if (!r || r.uid === undefined) throw new Error("APPEND gave no UID");
          uids.push(r.uid);
        }
        return uids;
      } finally {
        await c.logout();
      }
    },
    async list(user, folder = "INBOX") {
      const c = await client(user);
      try {
        await c.mailboxOpen(folder, { readOnly: true });
        const all = await c.fetchAll("1:*", { uid: true, flags: true }, { uid: false }).catch(() => []);
        return all.map((m) => ({ uid: m.uid, seen: m.flags?.has("\\Seen") ?? false }));
      } finally {
        await c.logout();
      }
    },
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain mail as a customer's client would write it. */
export function rawMail(m: {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
}): string {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${m.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
  ];
  return `${lines.join("\r\n")}\r\n\r\n${m.text.replace(/\r?\n/g, "\r\n")}\r\n`;
}
