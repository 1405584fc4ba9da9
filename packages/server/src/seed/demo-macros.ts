import type { Kysely } from "kysely";
import type { MacroChanges } from "@eskala/contracts";
import type { DB } from "../db/schema.ts";

/** The demo's shared macros, in Indonesian and English, owned by the supervisor who shares them. */
export const DEMO_MACROS: { name: string; id: string; en: string; kind: "reply" | "note"; changes: MacroChanges }[] = [
  {
    name: "Salam pembuka / Greeting",
    id: 'Halo {{customer.first_name}},\n\nTerima kasih sudah menghubungi kami tentang "{{ticket.subject}}". Kami sedang memeriksanya dan akan segera mengabari Anda.\n\nSalam,\n{{agent.name}}',
    en: 'Hello {{customer.first_name}},\n\nThank you for contacting us about "{{ticket.subject}}". We are looking into it and will update you shortly.\n\nKind regards,\n{{agent.name}}',
    kind: "reply",
    changes: {},
  },
  {
    name: "Minta info tambahan / Ask for details",
    id: "Halo {{customer.first_name}},\n\nAgar kami bisa menyelesaikan tiket #{{ticket.number}}, mohon kirimkan tangkapan layar pesan galatnya dan perkiraan waktu kejadiannya.\n\nTerima kasih,\n{{agent.name}}",
    en: "Hello {{customer.first_name}},\n\nTo resolve ticket #{{ticket.number}}, please send us a screenshot of the error message and roughly when it happened.\n\nThank you,\n{{agent.name}}",
    kind: "reply",
    changes: { status: "pending" },
  },
  {
    name: "Selesai: kata sandi direset / Solved: password reset",
    id: "Halo {{customer.first_name}},\n\nKata sandi akun Anda sudah kami reset. Silakan masuk dengan tautan yang kami kirim ke {{customer.email}} dan buat kata sandi baru.\n\nSalam,\n{{agent.name}}",
    en: "Hello {{customer.first_name}},\n\nWe have reset your account's password. Please sign in with the link we sent to {{customer.email}} and choose a new password.\n\nKind regards,\n{{agent.name}}",
    kind: "reply",
    changes: { status: "solved", resolution_code: "fixed", tags_add: ["akun"] },
  },
  {
    name: "Catatan: perlu tim penagihan / Note: needs billing",
    id: "Tagihan {{organization.name}} perlu diperiksa tim penagihan (tiket #{{ticket.number}}).",
    en: "{{organization.name}}'s invoice needs a look from the billing team (ticket #{{ticket.number}}).",
    kind: "note",
    changes: { priority: "high", tags_add: ["penagihan"] },
  },
];

/** Seeds the demo's shared macros (owned by the given supervisor). */
export async function seedDemoMacros(db: Kysely<DB>, ownerId: string, now: Date): Promise<void> {
  await db
    .insertInto("macros")
    .values(
      DEMO_MACROS.map((m) => ({
        owner_id: ownerId,
        shared: true,
        name: m.name,
        body_id: m.id,
        body_en: m.en,
        kind: m.kind,
        changes: JSON.stringify(m.changes),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
