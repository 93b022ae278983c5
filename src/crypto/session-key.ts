// With anonymous recipients a reader cannot tell which slot is theirs: openpgp.js tries its key on every slot of
// a message (a page of a 200-member group: 200 key agreements, ~1 s here). This tries one slot at a time and stops
// at the first that opens.
import * as openpgp from 'openpgp'

type AnyMessage = openpgp.Message<openpgp.MaybeStream<Uint8Array | string>>
type Slot = openpgp.PublicKeyEncryptedSessionKeyPacket
const MessageOf = openpgp.Message as unknown as new (packets: openpgp.PacketList<openpgp.AnyPacket>) => AnyMessage
const WILDCARD = /^0+$/

/**
 * The session key behind the first slot my key opens; undefined when the message has fewer than two slots (plain
 * decryption is as fast), [] when no slot opens.
 */
export async function firstSessionKey(
  message: AnyMessage,
  key: openpgp.PrivateKey,
  mine: ReadonlySet<string>,
  date?: Date,
): Promise<openpgp.SessionKey[] | undefined> {
  const slots = [...message.packets.filterByTag(openpgp.enums.packet.publicKeyEncryptedSessionKey)] as Slot[]
  if (slots.length < 2) return undefined
  const rest = message.packets.filter((p) => !slots.includes(p as Slot))
  for (const slot of slots) {
    const id = (slot as unknown as { publicKeyID: openpgp.KeyID }).publicKeyID.toHex()
    if (!WILDCARD.test(id) && !mine.has(id)) continue
    const one = new openpgp.PacketList<openpgp.AnyPacket>()
    one.push(slot as unknown as openpgp.AnyPacket, ...(rest as openpgp.AnyPacket[]))
    try {
      const keys = await openpgp.decryptSessionKeys({ message: new MessageOf(one), decryptionKeys: key, date })
      if (keys.length) return keys as openpgp.SessionKey[]
    } catch {
      // not my slot: try the next
    }
  }
  return []
}
