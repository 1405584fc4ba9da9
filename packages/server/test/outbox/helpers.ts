import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

/** A local SMTP server that keeps what it receives; `later@…` gets 451 (retry), `bounce@…` 550. */
export async function startSmtpSink() {
  const received: { to: string[]; raw: string; parsed: ParsedMail }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split("@")[0];
      if (local === "later") return callback(Object.assign(new Error("4.3.0 Try again later"), { responseCode: 451 }));
      if (local === "bounce") return callback(Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP receiver for webhooks. `answer(path, n)` decides the status of the n-th request
 * (1-based) to a path; 200 unless told otherwise.
 */
export async function startReceiver(answer: (path: string, n: number) => number = () => 200) {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const n = requests.filter((r) => r.path === path).length;
      res.writeHead(answer(path, n), { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    to: (path: string) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SseEvent {
  event: string;
  data: string;
  receivedAt: number;
}

/** An SSE client over fetch with a streaming body reader, collecting parsed events. */
export async function openStream(base: string, token: string | null, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/stream`, {
    headers: { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let preamble = "";
  let closed = false;
  const done = (async () => {
    if (!res.body || res.status !== 200) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = block.split("\n");
          const event = fields.find((f) => f.startsWith("event: "))?.slice(7);
          const data = fields.find((f) => f.startsWith("data: "))?.slice(6);
          if (event && data !== undefined) events.push({ event, data, receivedAt: Date.now() });
          else preamble += `${block}\n\n`;
        }
      }
    } catch {
      /* aborted */
    } finally {
      closed = true;
    }
  })();
  return {
    res,
    events,
    get preamble() {
      return preamble;
    },
    get closed() {
      return closed;
    },
    parsed: (event: string) =>
      events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as Record<string, unknown>),
    close: async () => {
      controller.abort();
      await done;
    },
    ended: done,
  };
}
