import { describe, expect, it } from "vitest";
import { analyzeSentiment } from "./analyze-sentiment.ts";

// Real-sounding customer messages: complaints, neutral questions, thanks, negated complaints and
// escalation demands. Columns: message, label, strongly negative, wants escalation.
const CASES: [string, "negative" | "neutral" | "positive", boolean, boolean][] = [
  [
    "Saya sangat kecewa dengan pelayanan kalian, sudah 3 kali saya telepon tapi tidak ada solusi.",
    "negative",
    true,
    false,
  ],
  ["Parah banget, aplikasinya lambat banget dan nggak bisa login dari kemarin!!!", "negative", true, false],
  ["Tim support nggak becus, masalah saya dioper-oper terus.", "negative", true, false],
  ["Saya mau bicara dengan atasan Anda sekarang juga.", "negative", true, true],
  ["Tolong eskalasi tiket ini ke supervisor, sudah seminggu belum ada jawaban.", "negative", true, true],
  ["Kalau masalah ini tidak selesai hari ini, saya akan lapor ke YLKI.", "negative", true, true],
  ["Kapok pakai layanan ini, mengecewakan sekali.", "negative", true, false],
  ["Saya minta refund sekarang, barangnya rusak.", "negative", true, false],
  ["Halo, bagaimana cara mengganti alamat email di akun saya?", "neutral", false, false],
  ["Selamat pagi, saya ingin menanyakan status pesanan nomor 12345.", "neutral", false, false],
  ["Apakah bisa bayar pakai transfer bank?", "neutral", false, false],
  ["Terima kasih banyak, masalahnya sudah beres. Pelayanannya cepat dan ramah!", "positive", false, false],
  ["Makasih ya kak, sangat membantu 🙏", "positive", false, false],
  ["Mantap, sekarang sudah bisa login lagi. Terima kasih!", "positive", false, false],
  ["Saya tidak kecewa kok, cuma mau tanya kapan fiturnya rilis.", "neutral", false, false],
  ["Bukan masalah besar, hanya ingin memastikan tagihan bulan ini sudah benar.", "neutral", false, false],
  ["Nggak kecewa sih, tapi agak bingung cara pakainya.", "neutral", false, false],
  ["Tidak ada keluhan, semuanya berjalan lancar. Terima kasih.", "positive", false, false],
  ["Sudah 2 minggu pesanan saya belum sampai, gimana sih ini?", "negative", true, false],
  ["Kok lama banget ya responnya? Saya sudah nunggu dari pagi.", "negative", false, false],
  ["Tolong segera diproses, ini sudah keterlaluan!", "negative", true, false],
  ["Saya mau komplain, paket yang datang beda dengan pesanan.", "negative", false, false],
  ["Saya minta dihubungkan dengan manajer, petugas sebelumnya tidak sopan.", "negative", true, true],
  ["Aplikasinya error terus sejak update kemarin, tolong dicek.", "negative", false, false],
  ["Baik kak, saya tunggu kabar selanjutnya.", "neutral", false, false],
  ["Pelayanan kalian memuaskan, saya puas sekali.", "positive", false, false],
  ["Ini penipuan! Uang sudah ditransfer tapi saldo tidak masuk.", "negative", true, false],
  ["Gak jelas banget CS-nya, ditanya muter-muter doang.", "negative", true, false],
  ["Apa saya bisa upgrade paket tanpa kehilangan data?", "neutral", false, false],
  ["Belum puas dengan jawabannya, masalah saya belum terselesaikan.", "negative", true, false],
  ["Udah 3x saya chat nggak ada yang bales. Mau ngomong sama supervisor!", "negative", true, true],
  ["Tidak perlu dieskalasi, masalahnya sudah teratasi. Terima kasih.", "positive", false, false],
  [
    "Pesanan saya sudah dibayar dari tanggal 5 tapi sampai sekarang belum dikirim juga. Tolong dicek.",
    "negative",
    false,
    false,
  ],
  ["Admin kok slow respon banget sih, saya butuh jawaban hari ini", "negative", false, false],
  ["Pelayanan paling buruk yang pernah saya alami. Tidak akan pakai lagi.", "negative", true, false],
  ["Saya tunggu sampai besok, kalau tidak ada kejelasan saya bawa ke jalur hukum.", "negative", true, true],
  ["Kak, mau tanya, promo ongkir masih berlaku nggak ya?", "neutral", false, false],
  ["Oke kak, sudah saya coba dan berhasil. Makasih banyak!", "positive", false, false],
  ["Tolong sambungkan saya ke supervisor, CS-nya tidak membantu sama sekali.", "negative", true, true],
  ["Uang saya kepotong dua kali, tolong dikembalikan.", "negative", false, false],
  ["Saya sudah kirim email berkali-kali tapi tidak pernah dibalas.", "negative", true, false],
  ["Terima kasih atas bantuannya, pelayanannya bagus sekali.", "positive", false, false],
  ["Aplikasi sering error pas mau bayar, jadi males pakainya.", "negative", false, false],
  ["Apakah ada biaya tambahan kalau saya ganti paket di tengah bulan?", "neutral", false, false],
  ["Ga masalah kak, saya tunggu aja.", "neutral", false, false],
  ["Sudah lapor berkali-kali, masih sama saja. Saya minta bicara dengan manager!", "negative", true, true],
  ["Gimana cara refund kalau barangnya salah kirim?", "negative", false, false],
  ["Sudah saya coba restart tapi tetap tidak bisa.", "negative", false, false],
  ["Mohon info jam operasional CS di hari libur.", "neutral", false, false],
  ["Barang sudah sampai dengan selamat, packing rapi. Mantap!", "positive", false, false],
  ["Saya ingin membatalkan pesanan karena salah pilih ukuran.", "neutral", false, false],
  ["Pelayanan lambat, sudah 5 hari tiket saya tidak direspon. Saya minta eskalasi ke atasan.", "negative", true, true],
];

describe("analyzeSentiment — Indonesian messages", () => {
  it("has a broad set of messages", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)("%s → %s (strong %s, escalation %s)", (message, label, strong, escalation) => {
    const result = analyzeSentiment(message);
    expect({ label: result.label, strong: result.isStronglyNegative, escalation: result.wantsEscalation }).toEqual({
      label,
      strong,
      escalation,
    });
    expect(result.language).toBe("id");
  });
});
