import type { TicketSla } from "@eskala/contracts";
import type { Composition } from "../../compose.ts";
import { createCustomerChannels } from "../customer-channels.ts";
import { ensureSecret } from "../settings.ts";
import { chatDeliverer, createChatConnections } from "./chat-notices.ts";
import { chatRoutes } from "./chat.routes.ts";
import { createChatService } from "./chat.service.ts";

/** Wires the web chat (widget script, tier-0 bot, handover to a `chat` ticket, live stream). */
export async function composeChat(app: Composition): Promise<void> {
  const secret = await ensureSecret(app.database.db, app.config);
  const chat = createChatService({
    database: app.database,
    tickets: app.tickets,
    messages: app.messages,
    secret,
    firstResponseDue: async (ticketId) => {
      const sla = (await app.ticketExtras?.sla?.(ticketId, { role: "customer" })) as TicketSla | undefined;
      const clock = sla?.clocks.find((c) => c.target === "first_response" && !c.achieved_at);
      return clock?.due_at ?? null;
    },
  });
  // Notices of a chat ticket go into the widget while the visitor is connected, by email otherwise.
  const connections = createChatConnections();
  (app.customerChannels ??= createCustomerChannels()).register("chat", chatDeliverer(connections));
  app.extraRoutes ??= [];
  app.extraRoutes.push(chatRoutes(chat, connections));
}
