// What a friend can do with a request sent to them: open it with their key and encrypt the same signed content (the
// requester's signature intact) to a third server.
import fs from 'node:fs/promises'
import * as openpgp from 'openpgp'

export async function rewrapSigned(armored: string, secretKeyFile: string, toArmored: string): Promise<string> {
  const key = await openpgp.readPrivateKey({ armoredKey: await fs.readFile(secretKeyFile, 'utf8') })
  const { data, signatures } = await openpgp.decrypt({
    message: await openpgp.readMessage({ armoredMessage: armored }),
    decryptionKeys: key,
    format: 'binary',
  })
  const signature = await signatures[0].signature
  // A signed message in its older form: the signature packet, then the literal data it covers.
  const packets = new openpgp.PacketList<openpgp.AnyPacket>()
  packets.push(...(signature.packets as unknown as openpgp.AnyPacket[]))
  packets.push(...((await openpgp.createMessage({ binary: data as Uint8Array })).packets as unknown as openpgp.AnyPacket[]))
  const message = new (openpgp.Message as unknown as new (l: openpgp.PacketList<openpgp.AnyPacket>) => openpgp.Message<Uint8Array>)(packets)
  return openpgp.encrypt({ message, encryptionKeys: await openpgp.readKey({ armoredKey: toArmored }) })
}
