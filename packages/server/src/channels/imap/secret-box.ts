import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "eskala imap mailbox password";

/** The AES-256 key for mailbox passwords, derived by HKDF-SHA256 from the instance secret. */
function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "eskala-mailboxes", INFO, 32));
}

/**
 * Encrypts a mailbox password with AES-256-GCM under the instance secret: `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). The mailbox id is authenticated with it, so a ciphertext copied to another mailbox
 * does not decrypt.
 */
export function sealPassword(secret: string, mailboxId: string, password: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(Buffer.from(mailboxId));
  const body = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The password back; throws when the secret changed or the value was tampered with. */
export function openPassword(secret: string, mailboxId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Unknown password format");
  const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(mailboxId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
