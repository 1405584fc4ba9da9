/** The NOTIFY channel behind the live stream; payloads are `LiveSignal` JSON (under 8000 bytes). */
export const LIVE_CHANNEL = "eskala_live";

/** A ticket changed; carries who may see it, so each stream filters without a query. */
export interface LiveTicketSignal {
  t: "ticket";
  ticket_id: string;
  type: string;
  at: string;
  version: number;
  requester_id: string;
  organization_id: string | null;
  /** Staff-only change (an internal note): not shown to customers. */
  internal: boolean;
}

/** A new in-app notification for one user. */
export interface LiveNotificationSignal {
  t: "notification";
  user_id: string;
  item: {
    id: string;
    kind: string;
    title: string;
    body: string;
    ticket_id: string | null;
    read_at: null;
    created_at: string;
  };
}

export type LiveSignal = LiveTicketSignal | LiveNotificationSignal;
