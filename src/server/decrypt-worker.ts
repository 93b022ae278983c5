// A worker thread that decrypts and verifies update requests with the owner's key (see decrypt-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { decryptAndVerify } from '../crypto/index.ts'
import { layout } from '../paths.ts'
import { identityCache } from './identity-cache.ts'

const { root, dist, passphrase } = workerData as { root: string; dist: string; passphrase?: string }
const l = { ...layout(root), dist }
const { loadSelf } = await import('../identity/index.ts')
const self = await loadSelf(l, { passphrase, requireSecret: true })
const known = identityCache(l)

parentPort!.on('message', async ({ id, message, now }: { id: number; message: string; now: number }) => {
  try {
    const { keys } = await known.get()
    const d = await decryptAndVerify({ message, key: self.secretKey!, signers: keys, date: new Date(now) })
    parentPort!.postMessage({ id, text: d.text(), signer: d.signer.fingerprint })
  } catch (e) {
    parentPort!.postMessage({ id, error: { code: (e as { code?: string }).code ?? 'UNEXPECTED', message: (e as Error).message } })
  }
})
parentPort!.postMessage({ ready: true })
