import type { Logger } from "pino";
import type { Composition } from "../../compose.ts";
import type { TicketHook } from "../../tickets/ticket-hooks.ts";
import type { CustomerChannels } from "../customer-channels.ts";
import { whatsappHook } from "./inbound.ts";
import { whatsappDeliverer } from "./outbound.ts";
import { whatsappRoutes } from "./whatsapp.routes.ts";

/**
 * Wires WhatsApp Business into the channels part: the webhook and template routes, the hook that
 * records inbound messages in their ticket change's transaction (added before the channels hook,
 * so a new customer's window is open when the acknowledgement is composed), and the `whatsapp`
 * deliverer of customer notices. The outbox kind is in notify/compose-notify.ts.
 */
export function composeWhatsapp(
  app: Composition,
  wiring: { addHook: (hook: TicketHook) => void },
  channels: CustomerChannels,
  log: Logger,
): void {
  wiring.addHook(whatsappHook());
  channels.register("whatsapp", whatsappDeliverer);
  app.extraRoutes ??= [];
  app.extraRoutes.push(
    whatsappRoutes({ tickets: app.tickets, messages: app.messages, log: log.child({ channel: "whatsapp" }) }, log),
  );
}
