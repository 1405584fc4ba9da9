import { useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ControlProps } from "../../ui/Field.tsx";
import type { User } from "../../lib/types.ts";

/** The handle the server resolves in notes: the name with dots for spaces ("@Siti.Rahma"). */
export const mentionHandle = (name: string) => name.trim().replace(/\s+/g, ".");

type Props = ControlProps & {
  value: string;
  onChange: (value: string) => void;
  staff: User[];
  rows?: number;
  placeholder?: string;
};

/** A textarea that offers staff names after "@" (arrows to choose, Enter or Tab to insert, Escape to dismiss). */
export function MentionTextarea({ value, onChange, staff, rows = 5, placeholder, ...control }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);

  const suggestions =
    query === null
      ? []
      : staff
          .filter((u) => {
            const q = query.toLowerCase();
            return mentionHandle(u.name).toLowerCase().includes(q) || u.email.toLowerCase().startsWith(q);
          })
          .slice(0, 6);
  const open = suggestions.length > 0;

  const detect = (text: string, caret: number) => {
    const m = text.slice(0, caret).match(/(?:^|\s)@([\p{L}\p{N}._-]*)$/u);
    setQuery(m ? m[1]! : null);
    setActive(0);
  };

  const insert = (user: User) => {
    const el = ref.current;
    const caret = el?.selectionStart ?? value.length;
    const before = value.slice(0, caret).replace(/@([\p{L}\p{N}._-]*)$/u, `@${mentionHandle(user.name)} `);
    const next = before + value.slice(caret);
    onChange(next);
    setQuery(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(before.length, before.length);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const delta = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a + delta + suggestions.length) % suggestions.length);
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      insert(suggestions[active]!);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <div className="mention-box">
      <textarea
        {...control}
        ref={ref}
        rows={rows}
        value={value}
        placeholder={placeholder}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          detect(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={t("composer.mention_suggestions")}
        className="mention-list"
        hidden={!open}
      >
        {suggestions.map((u, i) => (
          <li
            key={u.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              insert(u);
            }}
          >
            <strong>{u.name}</strong> <span className="muted small">{u.email}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
