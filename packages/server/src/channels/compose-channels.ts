import type { Composition } from "../compose.ts";

/**
 * Wires the channels part (email intake and outbound mail, knowledge base, satisfaction surveys,
 * engineering links) into the composition: its routes, its ticket hooks and its workers.
 */
export async function composeChannels(_app: Composition, _wiring: ChannelWiring): Promise<void> {}

export interface ChannelWiring {
  /** Add a ticket hook that runs inside each ticket change's transaction. */
  addHook: (hook: import("../tickets/ticket-hooks.ts").TicketHook) => void;
  /** Add a background worker: start() is called by `serve`/`worker`, the returned function stops it. */
  addWorker: (start: () => Promise<() => Promise<void>>) => void;
}
