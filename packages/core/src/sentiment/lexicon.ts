/**
 * Sentiment lexicon for customer messages (PRODUCT.md §3.5), as data.
 *
 * A pattern is a sequence of space-separated slots over lower-case tokens: `a|b` lists alternatives,
 * an alternative `_` lets the slot be skipped, `#` matches a number (`3`, `tiga`, `three`, `several`).
 * Weights are on a rough scale of 0.5 (faint) to 3 (extreme); negative = unhappy. `esc` marks a demand
 * to be escalated (a manager, a supervisor, a regulator, a lawyer). The longest pattern wins, so
 * phrases that contain a negator ("nggak becus", "still not fixed") are read as a whole.
 */
export interface LexiconEntry {
  pattern: string;
  weight: number;
  lang: "id" | "en";
  escalation: boolean;
}

type Row = readonly [pattern: string, weight: number, flag?: "esc"];

// Slot helpers for Indonesian informal spelling.
const NEG = "tidak|tak|nggak|ngga|gak|ga|enggak|engga|gk|tdk|ndak|nda";
const NOT_YET = `${NEG}|belum|blm`;
const ALREADY = "sudah|udah|udh|sdh|dah";
const BOSS_ID = "atasan|atasannya|atasanmu|manager|manajer|supervisor|spv|pimpinan|bos|direktur|kepala";
const BOSS_EN = "manager|managers|supervisor|supervisors|superior|boss";

const ID_ROWS: readonly Row[] = [
  // Dissatisfaction.
  ["kecewa|kecewanya", -2],
  ["mengecewakan|dikecewakan", -2.5],
  ["parah", -2],
  ["kapok", -2.5],
  ["payah|buruk|kacau", -2],
  ["amburadul|keterlaluan", -2.5],
  ["ancur|hancur", -2],
  ["jelek", -1.5],
  ["lambat", -1],
  ["lemot|lelet", -1.5],
  ["lama", -0.6],
  ["kesal|kesel|jengkel|sebel|sebal|marah|muak", -2],
  ["emosi|capek", -1.5],
  ["nyesel|menyesal|rugi|dirugikan|merugikan", -2],
  ["penipuan|penipu|tipu|nipu|menipu|ditipu|tipuan", -3],
  ["bohong|pembohong|dibohongi", -2],
  ["zonk|php", -1.5],
  ["kasar|seenaknya", -2],
  ["asal asalan|asalan", -2],
  ["jutek|cuek|judes", -1.5],
  ["bingung", -0.5],
  [`${NEG} becus`, -3],
  [`${NEG} profesional`, -2.5],
  [`${NEG} jelas`, -1.5],
  [`${NEG} sopan`, -2],
  [`${NOT_YET} puas`, -2],
  [`kurang puas|memuaskan`, -2],
  [`${NEG} membantu|solutif`, -1.5],
  [`${NOT_YET} bisa`, -0.8],
  [`masih|tetap|tetep ${NOT_YET} bisa`, -1.8],
  [`${NOT_YET} ada respon|respons|jawaban|balasan|kabar|tanggapan|solusi|kejelasan|kepastian`, -2],
  [`${NOT_YET} ada yang bales|balas|respon|jawab|bantu|peduli|ngurus`, -2],
  [
    `${NOT_YET} juga|pernah|kunjung|_ selesai|beres|masuk|sampai|datang|diproses|ditanggapi|dibalas|direspon|dikirim`,
    -1.2,
  ],
  [`${NOT_YET} juga|pernah|kunjung|_ terselesaikan|teratasi|diperbaiki|berfungsi|jalan`, -1.5],
  [`${NEG} akan|mau pakai|pake|beli|langganan|order lagi`, -2.5],
  ["masih|tetap|tetep error|eror|gagal|rusak|bermasalah|sama|belum|lemot|lambat|salah", -1.5],
  ["salah kirim|tagih|potong|transfer", -1],
  ["error|eror|gagal|crash|hang|rusak terus|melulu|mulu|lagi", -1.5],
  ["error|eror|bug", -0.7],
  ["gagal|crash|bermasalah", -1],
  ["rusak|cacat", -1.5],
  ["masalah", -0.5],
  ["dioper|dilempar|dipingpong|muter|diputer oper|lempar|pingpong|muter|puter|dioper|dilempar|diputer|_", -1.5],
  ["gimana|bagaimana|gmn sih", -1.5],
  ["apa apaan", -2],
  ["apaan sih|ini", -2],
  ["kok bisa|gini|gitu|begini|begitu", -1],
  ["kok", -0.3],
  ["komplain|keluhan|mengeluh|aduan|pengaduan|protes", -1.5],
  // Repetition and waiting.
  [`${ALREADY} # kali|x`, -2],
  ["berkali|berulang|kesekian kali|kalinya", -2],
  ["bolak balik", -2],
  [`${ALREADY} # hari|minggu|bulan|jam`, -1.5],
  [`${ALREADY} seminggu|sebulan`, -1.5],
  [`${ALREADY} berhari|berminggu|berjam|berbulan hari|minggu|jam|bulan`, -1.5],
  [`${ALREADY} lama menunggu|nunggu`, -1.5],
  ["dari|sejak kemarin|pagi|semalam|tadi", -0.5],
  ["dari|sejak minggu|bulan lalu|kemarin", -0.5],
  // Urgency.
  ["tolong|mohon|harap segera|cepat|secepatnya", -1],
  ["cepetan|buruan", -1.5],
  ["segera|secepatnya|urgent|darurat", -0.5],
  ["sekarang juga", -0.5],
  // Money and churn.
  ["refund", -0.6],
  ["pengembalian dana", -0.6],
  ["minta|mau|ingin|tolong|pengen refund|pengembalian", -1.5],
  ["minta|mau|ingin|tolong|mohon|harap dikembalikan|dikembaliin|diganti", -0.8],
  ["kepotong|terpotong|dipotong|ketarik|tertarik|ditagih dua|# kali|x", -1.2],
  ["mana pesanan|paket|barang|uang|refund|dana|kiriman", -1.2],
  ["jelasin|jelaskan|menjelaskan|cerita ulang|lagi|dari awal", -1.5],
  ["ganti rugi", -1.5],
  ["kembalikan|balikin|kembaliin uang|dana", -1.5],
  ["refund|dana|uang sudah|udah masuk|diterima|kembali|cair", 0.5],
  ["mau|ingin|saya berhenti|stop langganan|berlangganan", -2],
  ["tutup|hapus akun", -0.7],
  ["pindah ke kompetitor|sebelah|provider|operator|aplikasi lain|_", -1.5],
  // Escalation demands.
  [`bicara|berbicara|ngomong|bertemu|ketemu dengan|sama|ke|kepada ${BOSS_ID}`, -2, "esc"],
  [`hubungkan|sambungkan|dihubungkan|disambungkan|teruskan|oper saya|_ dengan|ke|kepada ${BOSS_ID}`, -2, "esc"],
  [`panggil|mana ${BOSS_ID}`, -2, "esc"],
  ["eskalasi|eskalasikan|dieskalasi|dieskalasikan|escalate", -1.5, "esc"],
  [
    "lapor|laporkan|melapor|melaporkan|adukan|mengadu ke|kepada ylki|ojk|bpkn|polisi|kominfo|media|pengacara",
    -3,
    "esc",
  ],
  ["ylki|ojk|bpkn|pengacara|somasi|menggugat|gugat|tuntut", -2.5, "esc"],
  ["jalur hukum", -2.5, "esc"],
  ["viralkan|diviralkan", -2.5, "esc"],
  // Satisfaction.
  ["terima kasih", 1],
  ["terimakasih|makasih|makasi|trims|tq|tengkyu|nuhun", 1],
  ["terima kasih banyak", 1.5],
  ["terimakasih|makasih banyak", 1.5],
  ["puas|senang|seneng|happy", 1.5],
  ["memuaskan|terbaik", 2],
  ["luar biasa", 2],
  ["mantap|mantul|mantab|keren|jempol", 1.5],
  ["bagus|suka|sip|sukses", 1],
  // "suka" also means "often": "suka error" is a complaint.
  ["suka|sering error|eror|crash|hang|lemot|gagal|ngelag|mati", -1.5],
  ["membantu|terbantu|terbantukan|solutif", 1.5],
  ["ramah|sigap|responsif", 1.5],
  ["cepat tanggap", 1.5],
  ["sopan|cepat|cepet", 0.5],
  [`${ALREADY} beres|selesai|teratasi|berhasil|bisa|normal|lancar|aman|berfungsi|masuk`, 1.5],
  ["beres|lancar|berhasil", 1],
  ["normal kembali", 1],
];

const EN_ROWS: readonly Row[] = [
  // Dissatisfaction.
  ["disappointed|disappointing|disappointment", -2],
  ["terrible|horrible|awful|atrocious|appalling|dreadful|nightmare", -2.5],
  ["worst", -3],
  ["unacceptable|ridiculous|absurd|outrageous|ludicrous|pathetic|disgraceful", -2.5],
  ["useless|hopeless", -2],
  ["incompetent|incompetence|unprofessional", -2.5],
  ["frustrated|frustrating|frustration|unhappy|dissatisfied|displeased", -2],
  ["angry|furious|livid|pissed", -2.5],
  ["annoyed|annoying|irritated|upset", -1.5],
  ["fed up", -2],
  ["sick|tired of", -2],
  ["bad|poor", -1.5],
  ["slow", -1],
  ["waste of time|money", -2],
  ["rude|disrespectful|condescending", -2],
  ["joke", -1],
  ["a|complete joke", -2],
  ["scam|fraud|fraudulent|ripoff|stole|theft", -3],
  ["rip off", -3],
  ["lied|lying|liar|lies", -2],
  ["never again", -2.5],
  ["ignored|ignoring", -2],
  ["no|zero response|reply|replies|answer|answers|update|updates|help|feedback|solution", -1.5],
  ["nobody|noone has|_ replied|responded|answered|helped|called|contacted|bothered", -1.8],
  ["no one has|_ replied|responded|answered|helped|called|contacted|bothered", -1.8],
  ["nobody|noone seems|_ to|_ care|cares", -2],
  ["no one seems|_ to|_ care|cares", -2],
  ["still not fixed|resolved|solved|working|sorted|done|answered|received|delivered|refunded|here|arrived", -2.5],
  ["still broken|waiting|nothing|failing|crashing|happening|down", -2],
  ["not|never working|fixed|resolved|solved|sorted|delivered|arrived|received|refunded", -1.5],
  ["does|do|did not work", -1.5],
  ["stopped working", -1.5],
  ["broken|failed", -1.5],
  ["keeps|kept crashing|failing|freezing|breaking|happening|logging|disconnecting", -2],
  ["crash|crashes|crashing|crashed|fail|fails|failing|failure", -1],
  ["bug|bugs|glitch|error|errors|outage", -0.7],
  ["problem|problems|issue|issues", -0.5],
  ["complaint|complaints|complain|complaining", -1.5],
  // Repetition and waiting.
  ["third|fourth|fifth|sixth|nth|umpteenth time", -2],
  ["second time", -1.5],
  ["explain|repeat this|it|everything|_ again", -1.5],
  ["repeat myself", -1.5],
  ["where is|s my order|package|parcel|refund|money|delivery", -1],
  ["was|were supposed to", -0.6],
  ["lost|missing|wrong", -0.8],
  ["thanks|thank for nothing", -2],
  ["not|never hear|heard back", -1.2],
  [
    "asked|called|emailed|contacted|written|wrote|messaged|chatted|tried|explained|complained|reported|phoned # times",
    -2,
  ],
  ["asked|called|emailed|contacted|written|wrote|messaged|tried|explained|complained|reported twice|repeatedly", -1.5],
  ["charged|billed twice|double", -1.2],
  ["double charged|billed", -1.2],
  ["# times", -0.8],
  ["waiting|waited for|since # hours|days|weeks|months", -1.5],
  ["waiting|waited for|since hours|days|weeks|months|ages|forever", -1.5],
  ["waiting|waited all day|morning|week|night", -1.5],
  ["been waiting", -1.2],
  ["hours|days|weeks on hold", -1.5],
  ["taking so|too long", -1.5],
  ["taking forever", -1.5],
  ["how long this is taking", -1.2],
  ["anyone there|home|out", -1],
  // Urgency.
  ["asap|urgent|urgently|immediately", -0.5],
  ["right now|away", -0.5],
  ["please hurry", -1],
  // Money and churn.
  ["refund", -0.6],
  ["want|need|demand|deserve|expect a|my|_ full|_ refund", -1.5],
  ["give|issue me|_ a|my|full refund", -1.5],
  ["money back", -1.5],
  ["refund arrived|came|received|processed|approved", 0.5],
  ["refund was|has|is been|_ processed|approved|received", 0.5],
  ["got|received my|the refund", 0.5],
  ["cancel|close|terminate my|our account|subscription|service|membership|contract", -2],
  ["switching|switch|moving to a|_ competitor", -1.5],
  ["chargeback|dispute", -2],
  // Escalation demands.
  [`speak|talk|speaking|talking to|with a|the|your|_ ${BOSS_EN}`, -2, "esc"],
  [`get|want|need|demand|request|fetch me|_ a|the|your ${BOSS_EN}`, -2, "esc"],
  ["someone|somebody senior|higher|responsible", -2, "esc"],
  ["someone|somebody in charge", -2, "esc"],
  ["escalate|escalation", -1.5, "esc"],
  ["this|it escalated", -1.5, "esc"],
  ["lawyer|lawyers|attorney|lawsuit|solicitor|court", -3, "esc"],
  ["legal action", -3, "esc"],
  ["sue you|your|them", -3, "esc"],
  ["report|reporting you|this|_ to the|_ bbb|ombudsman|regulator|regulators|authorities|ftc|police", -2.5, "esc"],
  ["bbb|ombudsman", -2.5, "esc"],
  // Satisfaction.
  ["thank|thanks|thx|ty|cheers", 1],
  ["thank you", 1],
  ["appreciate|appreciated|grateful", 1.5],
  ["great|excellent|fantastic|wonderful|brilliant|superb|outstanding", 1.5],
  ["awesome|amazing", 2],
  ["perfect|perfectly|helpful|happy|glad|pleased|satisfied|delighted|love|loved|lovely|best", 1.5],
  ["good|nice", 1],
  ["fine", 0.5],
  ["works|working now|again|perfectly|fine|great", 1.5],
  ["fixed|resolved|solved|sorted", 1],
  ["quick|fast|prompt|speedy", 0.7],
  ["recommend", 1.5],
  ["have a nice|good|great day", 0.5],
  // Set phrases that only look emotional.
  ["quick question", 0],
  ["good morning|afternoon|evening|day", 0],
  ["best|kind|warm regards|wishes", 0],
];

function toEntries(rows: readonly Row[], lang: "id" | "en"): LexiconEntry[] {
  return rows.map(([pattern, weight, flag]) => ({ pattern, weight, lang, escalation: flag === "esc" }));
}

export const LEXICON: readonly LexiconEntry[] = [...toEntries(ID_ROWS, "id"), ...toEntries(EN_ROWS, "en")];

const words = (...lines: string[]): ReadonlySet<string> => new Set(lines.join(" ").split(/\s+/));

/** Words that flip the meaning of a term found within `NEGATION_WINDOW` tokens after them. */
export const NEGATORS = words(
  NEG.replaceAll("|", " "),
  "bukan belum blm kurang tanpa jangan",
  "not no never without nor neither hardly cannot",
  "dont doesnt didnt isnt wasnt arent werent cant couldnt wont wouldnt havent hasnt hadnt shouldnt",
);
export const NEGATION_WINDOW = 3;

/** Words that stop a negation from reaching further ("not cheap, but terrible"). */
export const CLAUSE_BREAKS = words(
  "tapi tetapi namun padahal sedangkan walaupun meskipun cuma hanya",
  "but however although though yet just",
);

/** Words that strengthen the next term (`before`) or the previous one (`after`), by `INTENSIFIER_FACTOR`. */
export const INTENSIFIERS_BEFORE = words(
  "sangat amat sungguh terlalu super paling begitu",
  "very extremely so really incredibly totally absolutely completely utterly truly highly seriously deeply",
  "terribly too beyond most",
);
export const INTENSIFIERS_AFTER = words("banget bgt bngt sekali skali amat abis bener");
export const INTENSIFIER_FACTOR = 1.5;

/** Number words the `#` slot accepts besides digits. */
export const NUMBER_WORDS = words(
  "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh beberapa",
  "two three four five six seven eight nine ten several many multiple countless",
);

/** Function words that tell the two languages apart. */
export const STOPWORDS: Readonly<Record<"id" | "en", ReadonlySet<string>>> = {
  id: words(
    "saya aku gue yang dan di ke dari ini itu dengan untuk kami kalian anda apa bisa tolong mohon sudah udah",
    "belum tidak nggak gak sih kok dong ya juga masih akan ada karena tapi banget sama mau kenapa bagaimana",
    "gimana pesanan akun kak mas mbak pak bu tiket sampai lagi kapan cara apakah hari",
  ),
  en: words(
    "i the and to of is my you your it this that not have has was for with please can what why still been",
    "me we our are be am do does on in at an if will would how when there they just get order account",
  ),
};
