// This device's id: names its file in ledger/ (ledger-log.ts). Per device, so it lives in .peerfeed/ (never in git).
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs-atomic.ts'
import type { Layout } from '../paths.ts'
import { DEVICE_ID } from './ledger-log.ts'

export const deviceFile = (l: Layout) => path.join(l.state, 'device.json')

/** The id of this device, made (12 random hex digits) the first time it is asked for. */
export async function deviceId(l: Layout, random = crypto.randomBytes): Promise<string> {
  try {
    const id = JSON.parse(await fs.readFile(deviceFile(l), 'utf8')).id
    if (typeof id === 'string' && DEVICE_ID.test(id)) return id
  } catch {
    // none yet (or unreadable): a new id only costs this device a new ledger file
  }
  const id = random(6).toString('hex')
  await writeFileAtomic(deviceFile(l), `${JSON.stringify({ id })}\n`)
  return id
}
