// A worker thread that opens update requests with the owner's key (see decrypt-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { layout } from '../paths.ts'
import { openRequest } from './decryptor.ts'
import { identityCache } from './identity-cache.ts'

const { root, dist, passphrase } = workerData as { root: string; dist: string; passphrase?: string }
const l = { ...layout(root), dist }
const { loadSelf } = await import('../identity/index.ts')
const self = await loadSelf(l, { passphrase, requireSecret: true })
const known = identityCache(l)

parentPort!.on('message', async ({ id, message, now }: { id: number; message: string; now: number }) => {
  try {
    const { keys } = await known.get()
    parentPort!.postMessage({ id, opened: await openRequest(message, self.secretKey!, keys, now) })
  } catch (e) {
    parentPort!.postMessage({ id, error: { code: (e as { code?: string }).code ?? 'UNEXPECTED', message: (e as Error).message } })
  }
})
parentPort!.postMessage({ ready: true })
