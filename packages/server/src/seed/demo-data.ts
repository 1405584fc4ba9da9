/** The demo contact center's people and structure: an Indonesian e-commerce and fintech help desk. */

export const DEMO_PASSWORD = "eskala-demo";

export const TIERS = [
  { level: 0, name: "Tier 0 · Layanan Mandiri", description: "Self-service: the help center" },
  { level: 1, name: "Tier 1 · Frontline", description: "Frontline agents for simple and frequent requests" },
  { level: 2, name: "Tier 2 · Technical", description: "Deeper technical skill for complex cases" },
  { level: 3, name: "Tier 3 · Engineering", description: "Experts working with developers and other departments" },
];

export const GROUPS = [
  { key: "frontline", name: "Frontline", kind: "tier", tier: 1, is_default: true, email: "support" },
  { key: "technical", name: "Technical", kind: "tier", tier: 2, is_default: true, email: null },
  { key: "engineering", name: "Engineering", kind: "tier", tier: 3, is_default: true, email: null },
  { key: "billing", name: "Billing", kind: "department", tier: null, is_default: false, email: "billing" },
  { key: "logistics", name: "Logistics", kind: "department", tier: null, is_default: false, email: "logistik" },
] as const;

export const CATEGORIES = [
  { name: "Akun & Login", skill: "account", level: 1 },
  { name: "Pembayaran", skill: "payments", level: 2 },
  { name: "Pengiriman", skill: "shipping", level: 1 },
  { name: "Refund", skill: "billing", level: 2 },
  { name: "Aplikasi Mobile", skill: "mobile", level: 2 },
  { name: "Integrasi API", skill: "api", level: 3 },
  { name: "Keamanan", skill: "security", level: 3 },
];

type Staff = {
  email: string;
  name: string;
  role: "admin" | "supervisor" | "agent";
  tier: number;
  groups: string[];
  skills: [string, number][];
  languages: ("id" | "en")[];
  capacity: number;
  presence: "online" | "away" | "offline";
  supervises?: string[];
};

export const STAFF: Staff[] = [
  {
    email: "admin@eskala.local",
    name: "Ayu Lestari",
    role: "admin",
    tier: 3,
    groups: [],
    skills: [],
    languages: ["id", "en"],
    capacity: 0,
    presence: "offline",
  },
  {
    email: "supervisor@eskala.local",
    name: "Bambang Wijaya",
    role: "supervisor",
    tier: 2,
    // Supervises both groups without being their agent: tickets escalated to tier 2 go to its agents.
    groups: [],
    skills: [
      ["account", 3],
      ["payments", 3],
    ],
    languages: ["id", "en"],
    capacity: 10,
    presence: "online",
    supervises: ["frontline", "technical"],
  },
  {
    email: "kartika@eskala.local",
    name: "Kartika Sari",
    role: "supervisor",
    tier: 3,
    groups: ["engineering", "billing", "logistics"],
    skills: [
      ["billing", 4],
      ["api", 3],
    ],
    languages: ["id", "en"],
    capacity: 10,
    presence: "online",
    supervises: ["engineering", "billing", "logistics"],
  },
  {
    email: "agent1@eskala.local",
    name: "Siti Rahma",
    role: "agent",
    tier: 1,
    groups: ["frontline"],
    skills: [
      ["account", 2],
      ["shipping", 2],
      ["payments", 2],
    ],
    languages: ["id", "en"],
    capacity: 20,
    presence: "online",
  },
  {
    email: "budi@eskala.local",
    name: "Budi Santoso",
    role: "agent",
    tier: 1,
    groups: ["frontline"],
    skills: [
      ["account", 1],
      ["shipping", 1],
    ],
    languages: ["id"],
    capacity: 20,
    presence: "online",
  },
  {
    email: "dewi@eskala.local",
    name: "Dewi Anggraini",
    role: "agent",
    tier: 1,
    groups: ["frontline"],
    skills: [
      ["account", 2],
      ["mobile", 1],
      ["payments", 2],
    ],
    languages: ["id", "en"],
    capacity: 15,
    presence: "away",
  },
  {
    email: "rizky@eskala.local",
    name: "Rizky Pratama",
    role: "agent",
    tier: 1,
    groups: ["frontline"],
    skills: [["shipping", 2]],
    languages: ["id"],
    capacity: 20,
    presence: "offline",
  },
  {
    email: "agent2@eskala.local",
    name: "Andi Nugroho",
    role: "agent",
    tier: 2,
    groups: ["technical"],
    skills: [
      ["payments", 3],
      ["mobile", 3],
      ["account", 3],
    ],
    languages: ["id", "en"],
    capacity: 12,
    presence: "online",
  },
  {
    email: "maya@eskala.local",
    name: "Maya Putri",
    role: "agent",
    tier: 2,
    groups: ["technical"],
    skills: [
      ["mobile", 3],
      ["api", 2],
    ],
    languages: ["id", "en"],
    capacity: 12,
    presence: "online",
  },
  {
    email: "agent3@eskala.local",
    name: "Hendra Gunawan",
    role: "agent",
    tier: 3,
    groups: ["engineering"],
    skills: [
      ["api", 5],
      ["security", 4],
      ["payments", 4],
    ],
    languages: ["id", "en"],
    capacity: 8,
    presence: "online",
  },
  {
    email: "fajar@eskala.local",
    name: "Fajar Hidayat",
    role: "agent",
    tier: 3,
    groups: ["engineering"],
    skills: [
      ["security", 5],
      ["api", 4],
    ],
    languages: ["en", "id"],
    capacity: 8,
    presence: "away",
  },
  {
    email: "indah@eskala.local",
    name: "Indah Permata",
    role: "agent",
    tier: 2,
    groups: ["billing"],
    skills: [
      ["billing", 4],
      ["payments", 3],
    ],
    languages: ["id"],
    capacity: 15,
    presence: "online",
  },
  {
    email: "yusuf@eskala.local",
    name: "Yusuf Maulana",
    role: "agent",
    tier: 2,
    groups: ["logistics"],
    skills: [["shipping", 4]],
    languages: ["id"],
    capacity: 15,
    presence: "online",
  },
  {
    email: "rina@eskala.local",
    name: "Rina Wulandari",
    role: "agent",
    tier: 1,
    groups: ["frontline"],
    skills: [
      ["account", 2],
      ["payments", 1],
    ],
    languages: ["id", "en"],
    capacity: 20,
    presence: "online",
  },
];

export const ORGANIZATIONS = [
  { name: "PT Nusantara Retail", segment: "vip", domain: "nusantararetail.co.id", shared: true },
  { name: "CV Sinar Jaya", segment: "smb", domain: "sinarjaya.id", shared: false },
  { name: "Global Trade Ltd", segment: "standard", domain: "globaltrade.com", shared: false },
];

export const CUSTOMERS: { email: string; name: string; language: "id" | "en" }[] = [
  { email: "customer@example.com", name: "Putri Ramadhani", language: "id" },
  { email: "linda@nusantararetail.co.id", name: "Linda Kusuma", language: "id" },
  { email: "agus@nusantararetail.co.id", name: "Agus Salim", language: "id" },
  { email: "tono@sinarjaya.id", name: "Tono Sutrisno", language: "id" },
  { email: "wulan@sinarjaya.id", name: "Wulan Sari", language: "id" },
  { email: "james@globaltrade.com", name: "James Carter", language: "en" },
  { email: "emma@globaltrade.com", name: "Emma Wong", language: "en" },
  { email: "reza.m@gmail.com", name: "Reza Mahendra", language: "id" },
  { email: "nadia.h@yahoo.co.id", name: "Nadia Halim", language: "id" },
  { email: "oliver@outlook.com", name: "Oliver Brown", language: "en" },
  { email: "sri.w@gmail.com", name: "Sri Wahyuni", language: "id" },
  { email: "dimas@proton.me", name: "Dimas Saputra", language: "id" },
];

/** Subjects and first messages, by category, in both languages. */
export const REQUESTS: { category: string; id: [string, string]; en: [string, string] }[] = [
  {
    category: "Akun & Login",
    id: [
      "Tidak bisa login ke akun",
      "Sejak kemarin saya tidak bisa login, muncul pesan 'kata sandi salah' padahal sudah reset.",
    ],
    en: [
      "Cannot log in to my account",
      "Since yesterday I cannot log in; it says 'wrong password' even after a reset.",
    ],
  },
  {
    category: "Akun & Login",
    id: ["Kode OTP tidak masuk", "Saya sudah coba 5 kali tapi kode OTP tidak pernah masuk ke nomor saya."],
    en: ["OTP code never arrives", "I tried five times but the OTP code never reaches my phone."],
  },
  {
    category: "Pembayaran",
    id: [
      "Saldo terpotong tapi pesanan gagal",
      "Pembayaran via transfer bank sudah berhasil dan saldo terpotong, tapi status pesanan masih gagal.",
    ],
    en: [
      "Charged but the order failed",
      "The bank transfer went through and I was charged, but the order still shows failed.",
    ],
  },
  {
    category: "Pembayaran",
    id: ["Virtual account kedaluwarsa", "Nomor virtual account saya kedaluwarsa sebelum batas waktu yang tertera."],
    en: ["Virtual account expired early", "My virtual account number expired before the stated deadline."],
  },
  {
    category: "Pengiriman",
    id: ["Paket belum sampai", "Pesanan saya sudah 7 hari belum sampai, resi tidak bergerak sejak di gudang Cikarang."],
    en: ["Parcel has not arrived", "My order is 7 days late; tracking has not moved since the Cikarang warehouse."],
  },
  {
    category: "Pengiriman",
    id: ["Alamat pengiriman salah", "Saya ingin mengubah alamat pengiriman, pesanan belum dikirim."],
    en: ["Wrong delivery address", "I need to change the delivery address; the order has not shipped yet."],
  },
  {
    category: "Refund",
    id: ["Refund belum diterima", "Refund yang dijanjikan 3 hari kerja belum masuk setelah 2 minggu."],
    en: ["Refund not received", "The refund promised within 3 business days has not arrived after 2 weeks."],
  },
  {
    category: "Aplikasi Mobile",
    id: [
      "Aplikasi force close di Android",
      "Setelah update terbaru, aplikasi selalu keluar sendiri saat membuka keranjang.",
    ],
    en: ["App crashes on Android", "Since the latest update the app closes itself when I open the cart."],
  },
  {
    category: "Integrasi API",
    id: ["Webhook pesanan tidak terkirim", "Sistem kami tidak menerima webhook order.paid sejak jam 10 pagi."],
    en: ["Order webhooks not delivered", "Our system has not received order.paid webhooks since 10 am."],
  },
  {
    category: "Keamanan",
    id: ["Transaksi mencurigakan di akun", "Ada transaksi yang tidak saya lakukan di akun saya tadi malam."],
    en: [
      "Suspicious transaction on my account",
      "There is a transaction on my account last night that I did not make.",
    ],
  },
];

export const AGENT_REPLIES = {
  id: [
    "Terima kasih sudah menghubungi kami. Kami sedang memeriksa masalah ini.",
    "Mohon kirimkan nomor pesanan dan tangkapan layar kendalanya.",
    "Kami sudah meneruskan ke tim terkait, mohon ditunggu ya.",
  ],
  en: [
    "Thanks for reaching out. We are looking into this now.",
    "Could you send the order number and a screenshot of the problem?",
    "We have passed this to the right team; we will update you shortly.",
  ],
};
export const CUSTOMER_REPLIES = {
  id: [
    "Nomor pesanan saya INV/2026/11/00123.",
    "Sudah saya coba tapi masih sama.",
    "Kok lama banget ya, sudah 3 hari belum ada kabar.",
    "Terima kasih, sudah beres.",
  ],
  en: [
    "My order number is INV/2026/11/00123.",
    "I tried that but it is still the same.",
    "This is taking far too long, no news for 3 days.",
    "Thanks, it works now.",
  ],
};
export const NOTES = [
  "Sudah cek log pembayaran, transaksi tercatat di gateway.",
  "Kemungkinan bug di versi 4.2 aplikasi, perlu dicek tim engineering.",
  "Pelanggan VIP, mohon diprioritaskan.",
];
