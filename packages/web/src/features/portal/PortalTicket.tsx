import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { usePollInterval } from "../../lib/live.ts";
import { StatusBadge } from "../../ui/Badges.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { ErrorNote, Loading } from "../../ui/Notice.tsx";
import type { CustomerTicket } from "../../lib/types.ts";
import { AttachmentPicker, AttachmentProblem, isAttachmentProblem, toBody } from "../agent-tools/Attachments.tsx";
import type { UploadFile } from "../agent-tools/agent-tools-api.ts";
import { Thread } from "../ticket/Thread.tsx";
import { useAddMessage, useEvents, useMessages } from "../ticket/ticket-api.ts";
import { useCustomerTicket } from "./portal-api.ts";
import { LiveStatus } from "./LiveStatus.tsx";
import { RateHelp } from "./RateHelp.tsx";
import { RequestEscalation } from "./RequestEscalation.tsx";

/** One of the customer's tickets: live status, the public conversation, reply, escalate, rate. */
export function PortalTicket() {
  const { t } = useTranslation();
  const { ticketId = "" } = useParams();
  const poll = usePollInterval(30_000);
  const ticket = useCustomerTicket(ticketId, poll);
  const messages = useMessages(ticketId, poll);
  const events = useEvents(ticketId);

  if (ticket.isLoading) return <Loading />;
  if (ticket.error || !ticket.data) return <ErrorNote error={ticket.error} />;
  const tk = ticket.data;
  const solved = tk.status === "solved" || tk.status === "closed";

  return (
    <div className="page portal-ticket">
      <Link to="/portal" className="back-link">
        ← {t("portal.back_to_tickets")}
      </Link>
      <div className="page-head">
        <h1>
          <span className="ticket-number">#{tk.number}</span> {tk.subject}
        </h1>
        <StatusBadge status={tk.status} />
      </div>
      <div className="portal-ticket-grid">
        <div className="stack">
          <section aria-labelledby="conv-title">
            <h2 id="conv-title" className="sr-only">
              {t("ticket.conversation")}
            </h2>
            {messages.error ? (
              <ErrorNote error={messages.error} />
            ) : (
              <Thread ticket={tk} messages={messages.data ?? []} showNotes={false} />
            )}
          </section>
          {tk.status !== "closed" && <CustomerReply ticket={tk} />}
        </div>
        <div className="stack">
          <LiveStatus ticket={tk} events={events.data ?? []} />
          {tk.status === "solved" || tk.status === "closed" ? null : <RequestEscalation ticket={tk} />}
          {solved && <RateHelp ticket={tk} />}
        </div>
      </div>
    </div>
  );
}

function CustomerReply({ ticket }: { ticket: CustomerTicket }) {
  const { t } = useTranslation();
  const add = useAddMessage(ticket.id);
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(add.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) {
      setClientErrors({ body: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    add.mutate(
      { body: body.trim(), kind: "reply", ...(files.length ? { attachments: toBody(files) } : {}) },
      {
        onSuccess: () => {
          setBody("");
          setFiles([]);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack card" aria-label={t("portal.reply")}>
      <Field
        label={t("portal.reply")}
        error={fieldError("body")}
        hint={ticket.status === "solved" ? t("portal.reply_reopens") : undefined}
      >
        {(p) => <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <AttachmentPicker files={files} onChange={setFiles} />
      {isAttachmentProblem(add.error) ? (
        <AttachmentProblem error={add.error} />
      ) : (
        <FormError error={add.error} shownPaths={["body"]} />
      )}
      <button type="submit" className="button primary" disabled={add.isPending}>
        {t("portal.send")}
      </button>
    </form>
  );
}
