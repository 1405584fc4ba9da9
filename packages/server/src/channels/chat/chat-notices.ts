import { emailDeliverer, type CustomerDeliverer } from "../customer-channels.ts";
import { renderCustomerEmail } from "../mail/outbound.ts";

/** The chat tickets whose visitor has the widget's live stream open in this process. */
export function createChatConnections() {
  const open = new Map<string, number>();
  return {
    add(ticketId: string) {
      open.set(ticketId, (open.get(ticketId) ?? 0) + 1);
      return () => {
        const n = (open.get(ticketId) ?? 1) - 1;
        if (n > 0) open.set(ticketId, n);
        else open.delete(ticketId);
      };
    },
    has: (ticketId: string) => open.has(ticketId),
  };
}
export type ChatConnections = ReturnType<typeof createChatConnections>;

/**
 * Customer notices of a `chat` ticket: into the widget's conversation while the visitor is
 * connected (as a line of the assistant, in the ticket's language, written in the change's
 * transaction), by email otherwise. The agent's reply needs no notice there: the widget shows the
 * reply itself, and the handover already said the ticket was received.
 */
export function chatDeliverer(connections: Pick<ChatConnections, "has">): CustomerDeliverer {
  return async (trx, n) => {
    if (!connections.has(n.ticket.id)) return emailDeliverer(trx, n);
    if (n.template === "agent.reply" || n.template === "ticket.received") return;
    const conversation = await trx
      .selectFrom("chat_conversations")
      .select("id")
      .where("ticket_id", "=", n.ticket.id)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!conversation) return emailDeliverer(trx, n);
    const { text } = renderCustomerEmail(n.template, n.ticket.language, n.vars);
    await trx
      .insertInto("chat_lines")
      .values({
        conversation_id: conversation.id,
        author: "bot",
        body: text.split("\n\n--\n")[0]!.trim(),
        articles: "[]",
        created_at: n.now,
      })
      .execute();
  };
}
