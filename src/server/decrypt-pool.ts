// A pool of worker threads for request decryption, so the server's own thread keeps answering while keys do math.
import type { Worker } from 'node:worker_threads'
import { PeerFeedError } from '../errors.ts'
import { startWorker } from '../worker-thread.ts'
import type { Layout } from '../paths.ts'
import type { Decryptor, Verified } from './decryptor.ts'

const spawn = (workerData: object): Worker => startWorker(new URL('./decrypt-worker.ts', import.meta.url), { workerData })

export async function workerDecryptor({ layout, passphrase, workers }: { layout: Layout; passphrase?: string; workers: number }): Promise<Decryptor> {
  const pending = new Map<number, { resolve: (v: Verified) => void; reject: (e: unknown) => void }>()
  let nextId = 0
  const pool = await Promise.all(Array.from({ length: workers }, () => new Promise<{ w: Worker; busy: number }>((resolve, reject) => {
    const w = spawn({ root: layout.root, dist: layout.dist, passphrase })
    const slot = { w, busy: 0 }
    w.on('message', (m: { ready?: true; id?: number; text?: string; signer?: string; error?: { code: string; message: string } }) => {
      if (m.ready) return resolve(slot)
      const p = pending.get(m.id!)
      if (!p) return
      pending.delete(m.id!)
      slot.busy--
      if (m.error) p.reject(new PeerFeedError(m.error.code, m.error.message))
      else p.resolve({ text: m.text!, signer: m.signer! })
    })
    w.once('error', reject)
  })))
  return {
    open(message, _signers, now) {
      const slot = pool.reduce((a, b) => (b.busy < a.busy ? b : a))
      slot.busy++
      const id = nextId++
      return new Promise<Verified>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        slot.w.postMessage({ id, message, now })
      })
    },
    pending: () => pending.size,
    async close() {
      await Promise.all(pool.map((s) => s.w.terminate()))
      for (const p of pending.values()) p.reject(new PeerFeedError('CLOSED', 'the server is closing.'))
    },
  }
}
