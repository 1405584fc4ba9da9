import type { Services } from "../../http/context.ts";
import { markdownToText } from "@eskala/contracts/markdown";

interface DemoArticle {
  title: string;
  category: string;
  tags: string[];
  language: "id" | "en";
  body: string;
}

/** The demo help center: account, OTP, payments, refunds and shipping, in Indonesian and English. */
export const DEMO_ARTICLES: DemoArticle[] = [
  {
    title: "Cara mengatur ulang kata sandi akun",
    category: "Akun",
    tags: ["akun", "password", "login"],
    language: "id",
    body: "Lupa kata sandi? Ikuti langkah berikut:\n\n1. Buka halaman **Masuk** dan pilih *Lupa kata sandi*.\n2. Masukkan alamat email yang terdaftar.\n3. Buka tautan yang kami kirim (berlaku 30 menit) dan buat kata sandi baru.\n\nJika email tidak datang dalam 10 menit, periksa folder spam atau hubungi kami.",
  },
  {
    title: "Akun terkunci setelah beberapa kali gagal masuk",
    category: "Akun",
    tags: ["akun", "login", "terkunci"],
    language: "id",
    body: "Demi keamanan, akun dikunci selama **30 menit** setelah 5 kali gagal masuk.\n\n- Tunggu 30 menit lalu coba lagi, atau\n- atur ulang kata sandi agar akun langsung terbuka.\n\nJangan pernah membagikan kata sandi atau kode OTP kepada siapa pun, termasuk petugas kami.",
  },
  {
    title: "Kode OTP tidak masuk ke ponsel",
    category: "Akun",
    tags: ["otp", "sms", "verifikasi"],
    language: "id",
    body: "Kode OTP dikirim lewat SMS dan biasanya tiba dalam 1 menit.\n\n1. Pastikan nomor ponsel di profil benar dan sinyal stabil.\n2. Tunggu 60 detik lalu tekan **Kirim ulang kode**.\n3. Matikan mode pesawat dan pastikan kotak SMS tidak penuh.\n\nSetelah 3 kali kirim ulang, coba lagi 15 menit kemudian.",
  },
  {
    title: "Pembayaran gagal atau ditolak",
    category: "Pembayaran",
    tags: ["pembayaran", "kartu", "gagal"],
    language: "id",
    body: "Pembayaran bisa gagal karena saldo kurang, limit kartu, atau verifikasi 3D Secure yang tidak selesai.\n\n- Periksa saldo dan limit transaksi harian.\n- Selesaikan verifikasi dari bank Anda.\n- Coba metode lain: transfer virtual account, e-wallet, atau QRIS.\n\nJika saldo terpotong tetapi pesanan gagal, dana kembali otomatis dalam 1x24 jam.",
  },
  {
    title: "Cara mengajukan pengembalian dana (refund)",
    category: "Pembayaran",
    tags: ["refund", "pengembalian", "dana"],
    language: "id",
    body: "Pengembalian dana dapat diajukan paling lambat **7 hari** setelah pesanan diterima.\n\n1. Buka *Pesanan Saya* dan pilih pesanan.\n2. Tekan **Ajukan pengembalian** dan jelaskan alasannya, sertakan foto bila barang rusak.\n3. Dana dikembalikan ke metode pembayaran asal dalam 3-7 hari kerja setelah disetujui.",
  },
  {
    title: "Lacak status pengiriman paket",
    category: "Pengiriman",
    tags: ["pengiriman", "paket", "resi"],
    language: "id",
    body: "Nomor resi muncul di *Pesanan Saya* setelah paket diserahkan ke kurir.\n\n- Status diperbarui oleh kurir, bisa tertunda hingga 24 jam.\n- Paket ke luar Jawa membutuhkan 3-7 hari kerja.\n\nJika status tidak berubah lebih dari 3 hari, hubungi kami dengan menyertakan nomor resi.",
  },
  {
    title: "How to reset your account password",
    category: "Account",
    tags: ["account", "password", "login"],
    language: "en",
    body: "Forgot your password? Follow these steps:\n\n1. Open the **Sign in** page and choose *Forgot password*.\n2. Enter the email address you registered with.\n3. Open the link we send you (valid for 30 minutes) and choose a new password.\n\nIf the email does not arrive within 10 minutes, check your spam folder or contact us.",
  },
  {
    title: "Account locked after failed sign-in attempts",
    category: "Account",
    tags: ["account", "login", "locked"],
    language: "en",
    body: "For your security the account is locked for **30 minutes** after 5 failed sign-in attempts.\n\n- Wait 30 minutes and try again, or\n- reset your password to unlock it at once.\n\nNever share your password or OTP code with anyone, including our staff.",
  },
  {
    title: "The OTP code does not arrive on my phone",
    category: "Account",
    tags: ["otp", "sms", "verification"],
    language: "en",
    body: "OTP codes are sent by SMS and usually arrive within a minute.\n\n1. Check that the phone number in your profile is right and the signal is stable.\n2. Wait 60 seconds, then tap **Resend code**.\n3. Turn off airplane mode and make sure your SMS inbox is not full.\n\nAfter 3 resends, try again 15 minutes later.",
  },
  {
    title: "Payment failed or declined",
    category: "Payments",
    tags: ["payment", "card", "declined"],
    language: "en",
    body: "A payment can fail because of insufficient balance, a card limit, or an unfinished 3D Secure check.\n\n- Check your balance and daily transaction limit.\n- Complete your bank's verification.\n- Try another method: virtual account transfer, e-wallet or QRIS.\n\nIf you were charged but the order failed, the money returns automatically within 24 hours.",
  },
  {
    title: "How to request a refund",
    category: "Payments",
    tags: ["refund", "money-back"],
    language: "en",
    body: "You can request a refund up to **7 days** after receiving your order.\n\n1. Open *My Orders* and select the order.\n2. Tap **Request refund** and explain why, with photos if the item is damaged.\n3. Once approved, the money goes back to the original payment method within 3-7 business days.",
  },
  {
    title: "Track your shipment",
    category: "Shipping",
    tags: ["shipping", "parcel", "tracking"],
    language: "en",
    body: "The tracking number appears in *My Orders* once the parcel is handed to the courier.\n\n- The courier updates the status, sometimes up to 24 hours late.\n- Deliveries outside Java take 3-7 business days.\n\nIf the status has not changed for more than 3 days, contact us with your tracking number.",
  },
];

/**
 * Seeds the demo help center once: only into an empty knowledge base, and only by the first
 * process to claim the `demo.kb_seeded` setting (several processes may start together).
 */
export async function seedChannelsDemo(app: Pick<Services, "database" | "clock">): Promise<number> {
  const { db } = app.database;
  const now = app.clock.now();
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto("settings")
      .values({ key: "demo.kb_seeded", value: now.toISOString() })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    const any = await trx.selectFrom("kb_articles").select("id").limit(1).executeTakeFirst();
    if (!claimed || any) return 0;
    await trx
      .insertInto("kb_articles")
      .values(
        DEMO_ARTICLES.map((a) => ({
          title: a.title,
          body: a.body,
          body_text: markdownToText(a.body),
          keywords: [a.category, ...a.tags].join(" "),
          category: a.category,
          tags: a.tags,
          language: a.language,
          status: "published" as const,
          author_id: null,
          created_at: now,
          updated_at: now,
          published_at: now,
        })),
      )
      .execute();
    return DEMO_ARTICLES.length;
  });
}
