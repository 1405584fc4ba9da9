import { useId, useMemo, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../lib/api.ts";
import type { Page, Ticket, TicketSummary } from "../../lib/types.ts";
import { FormError } from "../../ui/form-errors.tsx";
import { useUpdateTicket } from "../ticket/ticket-api.ts";

const TAG = /^[\p{L}\p{N}_:.-]+$/u;

/** Tags already used on recent tickets: the suggestions of the tag editor. */
function useKnownTags() {
  return useQuery({
    queryKey: ["known-tags"],
    queryFn: async () => {
      const page = await api.get<Page<TicketSummary>>("/tickets", { sort: "-updated_at", limit: 200 });
      return [...new Set(page.items.flatMap((t) => t.tags))].sort((a, b) => a.localeCompare(b));
    },
    staleTime: 60_000,
  });
}

/** Add and remove a ticket's tags (with suggestions from tags in use); each change is on the timeline. */
export function TagEditor({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const known = useKnownTags();
  const listId = useId();
  const inputId = useId();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const suggestions = useMemo(
    () => (known.data ?? []).filter((tag) => !ticket.tags.includes(tag)),
    [known.data, ticket.tags],
  );

  const save = (tags: string[]) => update.mutate({ tags, expected_version: ticket.version });
  const add = (e: FormEvent) => {
    e.preventDefault();
    const tag = text.trim();
    if (!tag) return;
    if (!TAG.test(tag) || tag.length > 50) {
      setProblem(t("agent_tools.tags.invalid"));
      return;
    }
    setProblem(null);
    if (!ticket.tags.includes(tag)) save([...ticket.tags, tag]);
    setText("");
  };

  return (
    <div className="tag-editor">
      <ul className="tag-list" aria-label={t("ticket.tags")}>
        {ticket.tags.length === 0 && <li className="muted">—</li>}
        {ticket.tags.map((tag) => (
          <li key={tag} className="tag">
            {tag}
            <button
              type="button"
              className="tag-remove"
              disabled={update.isPending}
              onClick={() => save(ticket.tags.filter((x) => x !== tag))}
              aria-label={t("agent_tools.tags.remove", { tag })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="tag-add" noValidate>
        <label htmlFor={inputId} className="sr-only">
          {t("agent_tools.tags.add_label")}
        </label>
        <input
          id={inputId}
          list={listId}
          value={text}
          maxLength={50}
          placeholder={t("agent_tools.tags.placeholder")}
          onChange={(e) => setText(e.target.value)}
        />
        <datalist id={listId}>
          {suggestions.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <button type="submit" className="button small" disabled={update.isPending || !text.trim()}>
          {t("agent_tools.tags.add")}
        </button>
      </form>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      <FormError error={update.error} shownPaths={["tags"]} />
    </div>
  );
}
