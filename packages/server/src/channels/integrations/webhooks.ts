import type { Config } from "../../config.ts";
import type { TicketRow } from "../../db/schema.ts";
import { publicBaseUrl } from "../settings.ts";

/** The ticket as webhooks show it. */
export function webhookTicket(t: TicketRow, config: Pick<Config, "ESKALA_PUBLIC_URL" | "PORT">) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    tier: t.tier,
    group_id: t.group_id,
    assignee_id: t.assignee_id,
    url: `${publicBaseUrl(config)}/app/tickets/${t.id}`,
  };
}
