// Content hashes for the render manifest.
import crypto from 'node:crypto'

// crypto.hash() is the one-shot form (Node ≥ 20.12): about half the cost of createHash() for the small inputs hashed here by the ten thousand.
export const sha256 = (data: string | Uint8Array): string =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex')
