// The server's limits in one plain object; `serve` and the bench override parts of it.
import type { Bucket } from './rate-limit.ts'

export interface Limits {
  /** largest POST body accepted, in bytes */
  bodyBytes: number
  /** POST /api/v1/updates per client IP, before any crypto */
  perIp: Bucket
  /** accepted requests per signing key, after verification */
  perKey: Bucket
  /** refused update requests per client IP answered at once; past these, each refusal is held `refusalDelayMs` */
  refusals: Bucket
  refusalDelayMs: number
  /** decryptions running or queued before new requests get 429 busy */
  maxPending: number
  /** worker threads decrypting requests (0 = in the server's own thread) */
  decryptWorkers: number
  requestTimeoutMs: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
}

export const DEFAULT_LIMITS: Limits = {
  bodyBytes: 64 * 1024,
  perIp: { rate: 20, burst: 60 },
  perKey: { rate: 10, burst: 30 },
  refusals: { rate: 20, burst: 100 },
  refusalDelayMs: 1000,
  maxPending: 64,
  decryptWorkers: 0,
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
}

export const withLimits = (partial: Partial<Limits> = {}): Limits => ({ ...DEFAULT_LIMITS, ...partial })
