// This machine's address on the LAN, for `app --lan` and the pairing link of `device add`.
import os from 'node:os'

const isPrivateV4 = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a)

/** A private IPv4 address first, else any other non-loopback IPv4 address; undefined when there is none. */
export function lanAddress(): string | undefined {
  const all = Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal && (i.family === 'IPv4' || (i.family as unknown) === 4))
    .map((i) => i.address)
  return all.find(isPrivateV4) ?? all[0]
}
