import { AppError } from "../lib/app-error.ts";

const PLAN_ERRORS: Record<
  string,
  { status: "validation_failed" | "forbidden" | "invalid_transition" | "conflict"; field: string[]; message: string }
> = {
  unknown_target: { status: "validation_failed", field: ["to"], message: "unknown target" },
  forbidden: {
    status: "forbidden",
    field: ["to"],
    message: "beyond your powers: agents escalate upward from their own tier or to a department",
  },
  note_required: {
    status: "validation_failed",
    field: ["note"],
    message: "a handoff note is required: what was tried, what is known",
  },
  note_too_long: { status: "validation_failed", field: ["note"], message: "at most 5000 characters" },
  reason_text_required: {
    status: "validation_failed",
    field: ["reason_text"],
    message: "required when the reason is other",
  },
  same_level: { status: "conflict", field: ["to"], message: "the ticket is there already" },
  no_next_tier: { status: "validation_failed", field: ["to", "tier"], message: "there is no higher tier" },
  ticket_closed: { status: "invalid_transition", field: ["ticket"], message: "the ticket is closed" },
  type_mismatch: { status: "validation_failed", field: ["type"], message: "does not match the target" },
  request_already_open: {
    status: "conflict",
    field: ["ticket"],
    message: "an escalation request is already open for this ticket",
  },
  text_too_long: { status: "validation_failed", field: ["text"], message: "at most 2000 characters" },
};

export function planError(code: string, field?: string): AppError {
  const e = PLAN_ERRORS[code] ?? { status: "validation_failed" as const, field: ["to"], message: code };
  // Core names the field inside the request ("group_id", "tier"); the API's body nests targets under "to".
  const path = field
    ? ["note", "reason_text", "type", "text"].includes(field)
      ? [field]
      : ["to", ...field.split(".")]
    : e.field;
  return new AppError(e.status, `${path.join(".")}: ${e.message}`, [{ path, message: e.message }]);
}

/**
 * What a customer reads when their escalation request cannot be taken: a sentence, never a field
 * path, target or group name. Any code not listed reads as the generic sentence.
 */
const CUSTOMER_REQUEST_ERRORS: Record<
  string,
  { status: "validation_failed" | "forbidden" | "invalid_transition" | "conflict"; field?: string; message: string }
> = {
  forbidden: { status: "forbidden", message: "Only the person who opened this ticket can ask for escalation." },
  ticket_closed: {
    status: "invalid_transition",
    message: "This ticket is closed. Please open a new ticket if you still need help.",
  },
  request_already_open: {
    status: "conflict",
    message: "You have already asked for escalation on this ticket. A supervisor will reply to you.",
  },
  reason_text_required: { status: "validation_failed", field: "text", message: "Please tell us why you are asking." },
  text_too_long: { status: "validation_failed", field: "text", message: "Please keep it under 2000 characters." },
};

export function customerRequestError(code: string): AppError {
  const e = CUSTOMER_REQUEST_ERRORS[code] ?? {
    status: "validation_failed" as const,
    message: "We could not record your request. Please reply to the ticket instead.",
  };
  return new AppError(e.status, e.message, e.field ? [{ path: [e.field], message: e.message }] : undefined);
}
