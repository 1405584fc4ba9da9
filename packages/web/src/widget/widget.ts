/**
 * Eskala's chat widget: one `<script src="https://eskala.example/widget.js" async></script>` puts a
 * chat button on any site. Vanilla TypeScript (no framework on the host page), its styles in a
 * Shadow DOM, and everything it shows set as text (never HTML). Options on the script tag:
 * `data-lang` (id|en; else the page's or the browser's language), `data-site` and
 * `data-user-token` (a visitor the host site vouches for, see the README).
 */
import en from "../locales/features/chat.en.json";
import id from "../locales/features/chat.id.json";
import { WIDGET_CSS } from "./widget-style.ts";

type Lang = "id" | "en";
type Article = { id: string; title: string; snippet: string; url: string };
type Line = {
  id: string;
  author: "visitor" | "bot" | "agent";
  author_name: string | null;
  body: string;
  articles: Article[];
  ask_feedback: boolean;
  at: string;
};
type Conversation = {
  id: string;
  state: "bot" | "deflected" | "handed_over";
  visitor: { name: string; email: string };
  ticket: { id: string; number: number } | null;
  agents_online: boolean;
  reply_by: string | null;
  lines: Line[];
};
type Problem = { status: number; errors?: { path: (string | number)[] }[] };

const script = document.currentScript as HTMLScriptElement | null;
const BASE = new URL(script?.src ?? location.href).origin;
const data = script?.dataset ?? {};
const LANG: Lang = pickLanguage(data.lang);
const WORDS = (LANG === "id" ? id : en).chat.widget;
const STORE = `eskala-chat:${BASE}`;

function pickLanguage(given: string | undefined): Lang {
  const tag = (given || document.documentElement.lang || navigator.language || "en").toLowerCase();
  return tag.startsWith("id") || tag.startsWith("in") ? "id" : "en";
}

/** A sentence of the widget with its {{placeholders}} filled in (as text, never HTML). */
function say(key: keyof typeof WORDS, vars: Record<string, string> = {}): string {
  return WORDS[key].replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? "");
}

/** `el("div", {class: "x"}, child…)`: elements with text children only. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null) node.append(typeof c === "string" ? document.createTextNode(c) : c);
  return node;
}

class ChatError extends Error {
  constructor(readonly problem: Problem) {
    super(`chat request failed: ${problem.status}`);
  }
}

let token: string | null = localStorage.getItem(STORE);
let conversation: Conversation | null = null;
let stream: AbortController | null = null;
let typingSent = 0;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BASE}/api/v1/chat${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { "x-chat-token": token } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as T & Problem;
  if (!res.ok) throw new ChatError({ ...json, status: res.status });
  return json;
}

// --- the elements, inside a shadow root so the host page's styles and ours never mix
const host = el("div", { id: "eskala-chat" });
const root = host.attachShadow({ mode: "open" });
const style = el("style");
style.textContent = WIDGET_CSS;
const launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false" }, say("open"));
const log = el("div", { class: "log", role: "log", "aria-live": "polite" });
const status = el("p", { class: "status", role: "status" });
const error = el("p", { class: "error", role: "alert" });
const input = el("textarea", { rows: "2", placeholder: say("placeholder"), "aria-label": say("placeholder") });
const composer = el("form", { class: "composer" }, input, el("button", { type: "submit" }, say("send")));
const talk = el("button", { type: "button", class: "talk" }, say("talk_to_person"));
const nameInput = el("input", {
  name: "name",
  autocomplete: "name",
  "aria-label": say("name"),
  placeholder: say("name"),
});
const emailInput = el("input", {
  name: "email",
  type: "email",
  autocomplete: "email",
  "aria-label": say("email"),
  placeholder: say("email"),
});
const intro = el(
  "form",
  // The widget checks the fields itself and says what is wrong in the visitor's language.
  { class: "intro", novalidate: "" },
  el("p", {}, say("intro")),
  nameInput,
  emailInput,
  el("button", { type: "submit" }, say("start")),
);
const closeButton = el("button", { type: "button", class: "close", "aria-label": say("close") }, "×");
const panel = el(
  "section",
  { class: "panel", hidden: "", "aria-label": say("title") },
  el("header", {}, el("span", {}, say("title")), closeButton),
  intro,
  log,
  status,
  error,
  talk,
  composer,
);
root.append(style, launcher, panel);

function showError(message: string | null) {
  error.textContent = message ?? "";
}

function problemText(err: unknown): string {
  if (!(err instanceof ChatError)) return say("failed");
  const p = err.problem;
  const paths = (p.errors ?? []).map((e) => e.path.join("."));
  if (p.status === 429) return say("too_many");
  if (p.status === 422 && paths.includes("body")) return say("too_long");
  if (p.status === 422 && paths.includes("email")) return say("email_invalid");
  if (p.status === 422 && paths.includes("name")) return say("name_required");
  return say("failed");
}

function renderLine(line: Line): HTMLElement {
  const who = line.author === "visitor" ? say("you") : line.author === "bot" ? say("bot") : (line.author_name ?? "");
  const item = el(
    "div",
    { class: `line ${line.author}`, "data-author": line.author },
    el("b", {}, who),
    el("p", {}, line.body),
  );
  if (line.articles.length) {
    const list = el("ul", { class: "articles" });
    for (const a of line.articles) {
      const link = el("a", { href: new URL(a.url, BASE).href, target: "_blank", rel: "noopener noreferrer" }, a.title);
      list.append(el("li", {}, link, el("small", {}, a.snippet)));
    }
    item.append(list);
  }
  if (line.ask_feedback) {
    const yes = el("button", { type: "button" }, say("yes"));
    const no = el("button", { type: "button" }, say("no"));
    yes.addEventListener("click", () => void act(() => call("POST", "/conversation/feedback", { solved: true })));
    no.addEventListener("click", () => void act(() => call("POST", "/conversation/feedback", { solved: false })));
    item.append(el("div", { class: "feedback" }, el("span", {}, say("solved_question")), yes, no));
  }
  return item;
}

function render() {
  const c = conversation;
  intro.hidden = c !== null;
  log.hidden = composer.hidden = c === null;
  talk.hidden = c === null || c.state === "handed_over";
  log.replaceChildren(...(c?.lines ?? []).map(renderLine));
  log.scrollTop = log.scrollHeight;
  if (c?.state === "handed_over") {
    status.textContent = c.agents_online
      ? say("handed_over_live")
      : c.reply_by
        ? say("handed_over_by", { time: formatTime(c.reply_by), email: c.visitor.email })
        : say("handed_over_email", { email: c.visitor.email });
  } else status.textContent = "";
}

function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(LANG === "id" ? "id-ID" : "en-GB", { dateStyle: "full", timeStyle: "short" }).format(
    new Date(iso),
  );
}

/** Runs a call that answers with the conversation, then shows it (or the error as a sentence). */
async function act(run: () => Promise<Conversation>) {
  showError(null);
  try {
    const before = conversation?.state;
    conversation = await run();
    render();
    if (conversation.state === "handed_over" && before !== "handed_over") listen();
    return true;
  } catch (err) {
    showError(problemText(err));
    return false;
  }
}

async function startChat(body: Record<string, string>) {
  showError(null);
  try {
    const res = await call<{ token: string; conversation: Conversation }>("POST", "/conversations", {
      ...body,
      language: LANG,
    });
    token = res.token;
    localStorage.setItem(STORE, res.token);
    conversation = res.conversation;
    render();
    input.focus();
  } catch (err) {
    showError(problemText(err));
  }
}

async function resume() {
  if (!token) {
    if (data.site && data.userToken) await startChat({ site_id: data.site, user_token: data.userToken });
    render();
    return;
  }
  try {
    conversation = await call<Conversation>("GET", "/conversation");
    render();
    if (conversation.state === "handed_over") listen();
  } catch {
    // An expired or unknown token: start again.
    token = null;
    localStorage.removeItem(STORE);
    conversation = null;
    render();
  }
}

/** The live stream (Server-Sent Events read with fetch, since EventSource cannot send the token). */
function listen() {
  stream?.abort();
  const ctl = new AbortController();
  stream = ctl;
  const run = async () => {
    const res = await fetch(`${BASE}/api/v1/chat/conversation/stream`, {
      headers: { "x-chat-token": token ?? "" },
      signal: ctl.signal,
    });
    if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.+)$/m.exec(chunk)?.[1];
        const payload = /^data: (.+)$/m.exec(chunk)?.[1];
        if (event === "changed") void act(() => call("GET", "/conversation"));
        if (event === "typing" && payload) {
          const t = JSON.parse(payload) as { typing: boolean; name: string };
          status.dataset.typing = t.typing ? "1" : "";
          if (t.typing) status.textContent = say("typing", { name: t.name });
          else render();
        }
      }
    }
  };
  run()
    .catch(() => {})
    .finally(() => {
      if (stream === ctl && !ctl.signal.aborted) setTimeout(() => stream === ctl && listen(), 3000);
    });
}

launcher.addEventListener("click", () => {
  const open = panel.hidden;
  panel.hidden = !open;
  launcher.setAttribute("aria-expanded", String(open));
  if (open) void resume();
});
closeButton.addEventListener("click", () => {
  panel.hidden = true;
  launcher.setAttribute("aria-expanded", "false");
});

intro.addEventListener("submit", (e) => {
  e.preventDefault();
  const name = nameInput.value.trim();
  const email = emailInput.value.trim();
  if (!name) return showError(say("name_required"));
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return showError(say("email_invalid"));
  void startChat({ name, email });
});

composer.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  if (text.length > 10_000) return showError(say("too_long"));
  void act(() => call("POST", "/conversation/messages", { body: text })).then((ok) => {
    if (ok) input.value = "";
  });
  typingSent = 0;
});
input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    composer.requestSubmit();
  }
});
input.addEventListener("input", () => {
  // Agents see "… is replying" while the visitor types (at most one signal every 3 s).
  if (conversation?.state !== "handed_over" || Date.now() - typingSent < 3000) return;
  typingSent = Date.now();
  call("POST", "/conversation/typing", { typing: input.value.length > 0 }).catch(() => {});
});
talk.addEventListener("click", () => void act(() => call("POST", "/conversation/handover")));

document.body.append(host);
