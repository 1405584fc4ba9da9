/** What the tier-0 bot says, and the transcript's headings, in the visitor's language. */
export type ChatLanguage = "id" | "en";

const WORDS = {
  found: {
    id: "Ini yang saya temukan di pusat bantuan. Apakah ini menyelesaikan masalah Anda?",
    en: "Here is what I found in our help center. Did this solve it?",
  },
  notFound: {
    id: "Maaf, saya belum menemukan jawabannya. Coba jelaskan dengan kata lain, atau pilih “Bicara dengan petugas”.",
    en: "Sorry, I could not find an answer. Try saying it another way, or choose “Talk to a person”.",
  },
  tryAgain: {
    id: "Baik. Ceritakan sedikit lebih banyak, atau pilih “Bicara dengan petugas”.",
    en: "All right. Tell me a little more, or choose “Talk to a person”.",
  },
  glad: {
    id: "Senang bisa membantu! Tulis lagi kapan saja.",
    en: "Glad that helped! Write again any time.",
  },
  handedOver: {
    id: "Saya teruskan percakapan ini ke tim kami (tiket #{n}). Mereka dapat membaca semua yang sudah Anda tulis, jadi Anda tidak perlu mengulanginya.",
    en: "I have passed this conversation to our team (ticket #{n}). They can read everything you wrote, so you need not repeat it.",
  },
  transcript: { id: "Transkrip obrolan (bot dan pengunjung):", en: "Chat transcript (bot and visitor):" },
  bot: { id: "Bot", en: "Bot" },
  subject: { id: "Obrolan", en: "Chat" },
  shortened: { id: "(baris sebelumnya dipendekkan)", en: "(earlier lines shortened)" },
  asked: { id: "Pengunjung meminta bicara dengan petugas.", en: "The visitor asked to talk to a person." },
  misses: {
    id: "Bot tidak menemukan jawaban dua kali.",
    en: "The bot did not find an answer twice.",
  },
  sentiment: { id: "Pengunjung tampak sangat kecewa.", en: "The visitor seems very unhappy." },
} as const;

export function chatWords(lang: ChatLanguage) {
  const w = <K extends keyof typeof WORDS>(k: K) => WORDS[k][lang];
  return {
    found: w("found"),
    notFound: w("notFound"),
    tryAgain: w("tryAgain"),
    glad: w("glad"),
    handedOver: (n: number) => w("handedOver").replace("{n}", String(n)),
    transcript: w("transcript"),
    bot: w("bot"),
    subject: w("subject"),
    shortened: w("shortened"),
    reason: (r: "asked" | "misses" | "sentiment") => w(r),
  };
}
