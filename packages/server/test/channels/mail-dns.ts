import { generateKeyPairSync } from "node:crypto";
import type { DnsResolver } from "../../src/channels/mail/sender-auth.ts";

/** A DKIM key pair: the private key signs (nodemailer's `dkim` option), the record publishes the public one. */
export function dkimKey(domainName: string, keySelector = "mail") {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const p = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  return {
    sign: { domainName, keySelector, privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
    record: [`${keySelector}._domainkey.${domainName}`, `v=DKIM1; k=rsa; p=${p}`] as const,
  };
}

const notFound = (name: string) => Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });

/** A resolver that knows only the given TXT records (SPF, DMARC, DKIM keys); every other name does not exist. */
export function fakeDns(records: Record<string, string>): DnsResolver {
  return async (name, rrtype) => {
    const value = records[name.toLowerCase()];
    if (rrtype !== "TXT" || value === undefined) throw notFound(name);
    // TXT answers come in 255-character chunks, as dns.promises.resolve returns them.
    return [value.match(/.{1,255}/g)!];
  };
}

/**
 * The test world: the harness's people are at test.local, which sends only from 192.0.2.10
 * (SPF) and signs with DKIM, under `p=reject`; pelanggan.test sends from this machine (SPF
 * passes for the tests' SMTP connections) under `p=none`; evil.test has SPF but no DMARC.
 */
export function testMailWorld() {
  const testLocal = dkimKey("test.local");
  const records = {
    "test.local": "v=spf1 ip4:192.0.2.10 -all",
    "_dmarc.test.local": "v=DMARC1; p=reject",
    [testLocal.record[0]]: testLocal.record[1],
    "pelanggan.test": "v=spf1 ip4:127.0.0.1 ip6:::1 -all",
    "_dmarc.pelanggan.test": "v=DMARC1; p=none",
    "evil.test": "v=spf1 ip4:127.0.0.1 ip6:::1 -all",
  };
  return { dns: fakeDns(records), testLocalDkim: testLocal.sign };
}
