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
  /**
   * What the customer's stream says happened: the change's first event a customer may see
   * (tickets/customer-view.ts), or null when every event of it is internal (an SLA deadline, a
   * link, a tag): then customers are not told.
   */
  customer_type: string | null;
}

/** A session or a user's access ended: their open streams close (logout, disabled, password changed). */
export interface LiveSessionEndSignal {
  t: "session_end";
  /** Every stream of this user ends … */
  user_id?: string;
  /** … except the one opened with this credential (the session that changed the password). */
  except?: string;
  /** Or just the streams opened with these credentials (hashed session or token ids). */
  credentials?: string[];
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

/** A staff member viewing, replying to or leaving a ticket (collision detection; staff streams only). */
export interface LivePresenceSignal {
  t: "presence";
  item: {
    ticket_id: string;
    user: { id: string; name: string };
    state: "viewing" | "replying" | "left";
    at: string;
  };
}

export type LiveSignal = LiveTicketSignal | LiveNotificationSignal | LiveSessionEndSignal | LivePresenceSignal;
