// Reads a request body up to a size limit; refuses early on Content-Length and stops reading once over.
import type http from 'node:http'
import { PeerFeedError } from '../errors.ts'

export function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.off('data', onData)
        req.resume() // drain without keeping it; the answer closes the connection
        return reject(tooLarge(limit))
      }
      chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', (e) => reject(new PeerFeedError('BAD_REQUEST', `the request body could not be read: ${e.message}`)))
    req.on('aborted', () => reject(new PeerFeedError('BAD_REQUEST', 'the client went away')))
  })
}

const tooLarge = (limit: number) => new PeerFeedError('TOO_LARGE', `the request body is larger than ${limit} bytes.`)
