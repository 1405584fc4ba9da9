import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Dialog } from "../../ui/Dialog.tsx";

/** The shortcuts of the agent console, in the order of the help sheet. */
export const SHORTCUTS = [
  { keys: ["j"], action: "next" },
  { keys: ["k"], action: "previous" },
  { keys: ["Enter"], action: "open" },
  { keys: ["r"], action: "reply" },
  { keys: ["n"], action: "note" },
  { keys: ["e"], action: "escalate" },
  { keys: ["g", "i"], action: "go_group" },
  { keys: ["g", "m"], action: "go_mine" },
  { keys: ["g", "e"], action: "go_escalated" },
  { keys: ["/"], action: "search" },
  { keys: ["Esc"], action: "close" },
  { keys: ["?"], action: "help" },
] as const;

/** Typing in a field (or a dialog open): shortcuts keep out of the way. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

function rowLinks(): HTMLAnchorElement[] {
  return Array.from(document.querySelectorAll<HTMLAnchorElement>(".ticket-list li[aria-posinset] a.ticket-row-link"));
}

/** Moves through the list: focuses the next or previous row (Enter then opens it). */
function move(step: 1 | -1) {
  const links = rowLinks();
  if (!links.length) return;
  const focused = links.findIndex((a) => a === document.activeElement);
  const selected = links.findIndex((a) => a.getAttribute("aria-current") === "page");
  const from = focused >= 0 ? focused : selected;
  const to = from < 0 ? (step === 1 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, from + step));
  links[to]!.focus();
  links[to]!.scrollIntoView({ block: "nearest" });
}

function composeAs(kind: "reply" | "note") {
  const radio = document.querySelector<HTMLInputElement>(`.composer input[name="kind"][value="${kind}"]`);
  if (!radio) return;
  radio.click();
  // The composer re-renders with the chosen kind; then its text box takes the focus.
  setTimeout(() => document.querySelector<HTMLTextAreaElement>(".composer textarea")?.focus(), 0);
}

/**
 * Keyboard shortcuts of the agent console (j/k, Enter, r, n, e, g then i/m/e, /, Esc, ?), not
 * while typing in a field; `?` opens the help sheet.
 */
export function ConsoleShortcuts({ listHref }: { listHref: (queue?: string) => string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [help, setHelp] = useState(false);
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target) || document.querySelector("dialog[open]")) return;
      const g = pendingG.current !== null && Date.now() - pendingG.current < 1500;
      pendingG.current = null;
      if (g) {
        const queue = { i: "group", m: "mine", e: "escalated-to-me" }[e.key];
        if (queue) {
          e.preventDefault();
          navigate(listHref(queue));
        }
        return;
      }
      switch (e.key) {
        case "?":
          e.preventDefault();
          setHelp(true);
          return;
        case "j":
          e.preventDefault();
          move(1);
          return;
        case "k":
          e.preventDefault();
          move(-1);
          return;
        case "r":
        case "n":
          e.preventDefault();
          composeAs(e.key === "r" ? "reply" : "note");
          return;
        case "e":
          e.preventDefault();
          document.querySelector<HTMLButtonElement>('[data-shortcut="escalate"]')?.click();
          return;
        case "g":
          pendingG.current = Date.now();
          return;
        case "/":
          e.preventDefault();
          document.querySelector<HTMLInputElement>("#ticket-search")?.focus();
          return;
        case "Escape":
          if (document.querySelector(".detail-pane .ticket-view")) {
            e.preventDefault();
            navigate(listHref());
          }
          return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, listHref]);

  return (
    <Dialog open={help} onClose={() => setHelp(false)} title={t("agent_tools.shortcuts.title")}>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">{t("agent_tools.shortcuts.key")}</th>
            <th scope="col">{t("agent_tools.shortcuts.action")}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ` ${t("agent_tools.shortcuts.then")} `}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`agent_tools.shortcuts.${s.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t("agent_tools.shortcuts.not_typing")}</p>
    </Dialog>
  );
}
