// A worker thread that opens update requests with the owner's keys (see decrypt-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { layout } from '../paths.ts'
import { openRequest } from './decryptor.ts'
import { identityCache } from './identity-cache.ts'
import { ownKeysCache } from './own-keys.ts'

const { root, dist, passphrase } = workerData as { root: string; dist: string; passphrase?: string }
const l = { ...layout(root), dist }
// the owner's keys are reloaded here too when they change (key rotate), like friends' keys
const own = ownKeysCache(l, { passphrase })
await own.get()
const known = identityCache(l)

parentPort!.on('message', async ({ id, message, now }: { id: number; message: string; now: number }) => {
  try {
    const [{ keys }, { all }] = await Promise.all([known.get(), own.get()])
    parentPort!.postMessage({ id, opened: await openRequest(message, all, keys, now) })
  } catch (e) {
    parentPort!.postMessage({ id, error: { code: (e as { code?: string }).code ?? 'UNEXPECTED', message: (e as Error).message } })
  }
})
parentPort!.postMessage({ ready: true })
