import dns from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import { AppError } from "../lib/app-error.ts";

/** What a resolver answers for a name: every address, as `dns.lookup(name, { all: true })` does. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The text a refused delivery records instead of any answer from the address. */
export const REFUSED_PRIVATE = "refused: private address";

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
type AllowEntry = { kind: "host"; host: string } | { kind: "range"; range: [IpAddress, number] };

/** Parses `ESKALA_WEBHOOK_ALLOW`: comma-separated host names, addresses and CIDR ranges. */
export function parseAllowList(text: string | undefined): AllowEntry[] {
  const entries: AllowEntry[] = [];
  for (const raw of (text ?? "").split(",")) {
    const item = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, "");
    if (!item) continue;
    if (item.includes("/") && ipaddr.isValidCIDR(item)) entries.push({ kind: "range", range: ipaddr.parseCIDR(item) });
    else if (ipaddr.isValid(item)) {
      const ip = normalise(ipaddr.parse(item));
      entries.push({ kind: "range", range: [ip, ip.kind() === "ipv4" ? 32 : 128] });
    } else entries.push({ kind: "host", host: item });
  }
  return entries;
}

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is the IPv4 address it carries. */
function normalise(ip: IpAddress): IpAddress {
  return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

/**
 * True when an address is not ordinary public unicast: loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7, so also fd00:ec2::254), link-local (169.254/16 with the cloud metadata
 * address, fe80::/10), CGNAT 100.64/10, unspecified, multicast, broadcast, reserved, and the IPv6
 * forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo).
 */
export function isNonPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  return normalise(ipaddr.parse(address)).range() !== "unicast";
}

/**
 * Decides which outbound destinations the server may reach: public addresses, and any other only
 * when the admin allow-list names its host or covers its address. The check is made at save time
 * (on what the name resolves to then) and again on the address actually connected to, through the
 * undici dispatcher's `lookup`, so a name that later resolves elsewhere (DNS rebinding) is refused.
 */
export function createOutboundGuard(opts: { allow?: string; resolve?: ResolveAll } = {}) {
  const allow = parseAllowList(opts.allow);
  const resolve = opts.resolve ?? systemResolve;

  const hostAllowed = (hostname: string) => allow.some((e) => e.kind === "host" && e.host === hostname.toLowerCase());
  const addressAllowed = (address: string) => {
    if (!ipaddr.isValid(address)) return false;
    const ip = normalise(ipaddr.parse(address));
    return allow.some((e) => e.kind === "range" && e.range[0].kind() === ip.kind() && ip.match(e.range));
  };
  const refused = (hostname: string, address: string) =>
    isNonPublicAddress(address) && !hostAllowed(hostname) && !addressAllowed(address);

  /** The URL's host without IPv6 brackets. */
  const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

  async function addressesOf(hostname: string): Promise<string[] | null> {
    if (ipaddr.isValid(hostname)) return [hostname];
    try {
      return (await resolve(hostname)).map((a) => a.address);
    } catch {
      return null; // unresolvable now: checked again when a delivery connects
    }
  }

  // net.connect calls this for names; undici passes it through `connect`.
  const lookup: LookupFunction = (hostname, options, callback) => {
    const family = (options as LookupOptions).family;
    resolve(hostname).then(
      (all) => {
        const usable = all.filter((a) => !family || family === a.family || family === `IPv${a.family}`);
        const bad = usable.find((a) => refused(hostname, a.address));
        if (bad || usable.length === 0) {
          const err = Object.assign(new Error(bad ? REFUSED_PRIVATE : `no address for ${hostname}`), {
            code: bad ? "EREFUSEDPRIVATE" : "ENOTFOUND",
          });
          return callback(err, "", 4);
        }
        if ((options as LookupOptions).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 4),
    );
  };

  return {
    /**
     * Refuses (422, naming the field) a URL whose host is, or now resolves to, a non-public
     * address the allow-list does not name.
     */
    async assertAllowedUrl(raw: string, field: (string | number)[] = ["url"]): Promise<void> {
      const url = new URL(raw);
      const host = hostOf(url);
      const addresses = await addressesOf(host);
      const bad = addresses?.find((a) => refused(host, a));
      if (bad)
        throw AppError.field(
          field,
          `${host} is a loopback, private, link-local or metadata address (${bad}); only an address in ESKALA_WEBHOOK_ALLOW may be used`,
        );
    },

    /** True when a URL names an address literal that may not be reached (names are checked on connect). */
    isRefusedLiteral(raw: string): boolean {
      const host = hostOf(new URL(raw));
      return ipaddr.isValid(host) && refused(host, host);
    },

    /** An undici dispatcher whose connections only reach allowed addresses. */
    dispatcher: new Agent({ connect: { lookup } }),
    lookup,
  };
}

export type OutboundGuard = ReturnType<typeof createOutboundGuard>;
