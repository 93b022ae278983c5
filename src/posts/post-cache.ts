// The parse cache of loadPosts: a JSON index of one row per file, then every post's data as JSON, read by slice only
// when a post's fields are wanted (a timeline of 30 needs the dates of all posts but the fields of 30).
// File layout: 'PFC1', the index's length (uint32 LE), the index (UTF-8 JSON), the data bytes.
import fs from 'node:fs'
import type { Problem } from '../errors.ts'

/** `[file, size, mtimeMs, ctimeMs, ino, sha256, published ms, data offset (-1: none), data length, problems?, att?]` */
export type Row = [string, number, number, number, number, string, number, number, number, Problem[]?, [number, number][]?]

export interface PostCache {
  checkedAt: number
  rows: Map<string, Row>
  /** the post's data as JSON bytes (a view, not a copy), or null for a file with problems */
  bytes(row: Row): Buffer | null
}

const MAGIC = 'PFC1'

export function readPostCache(file: string, version: string): PostCache | undefined {
  try {
    const buf = fs.readFileSync(file)
    if (buf.toString('latin1', 0, 4) !== MAGIC) return undefined
    const n = buf.readUInt32LE(4)
    const index = JSON.parse(buf.toString('utf8', 8, 8 + n)) as { version: string; checkedAt: number; rows: Row[] }
    if (index.version !== version || !Array.isArray(index.rows) || typeof index.checkedAt !== 'number') return undefined
    const base = 8 + n
    const rows = new Map<string, Row>()
    for (const r of index.rows) rows.set(r[0], r)
    return {
      checkedAt: index.checkedAt,
      rows,
      bytes: (r) => (r[7] < 0 ? null : buf.subarray(base + r[7], base + r[7] + r[8])),
    }
  } catch {
    return undefined
  }
}

/** Collects rows and their data, then makes the file's bytes. */
export class PostCacheWriter {
  readonly rows: Row[] = []
  readonly #chunks: Buffer[] = []
  #size = 0

  /** `row`'s offset and length are set here. */
  add(row: Row, data: Buffer | string | null): Row {
    if (data === null) {
      row[7] = -1
      row[8] = 0
    } else {
      const b = typeof data === 'string' ? Buffer.from(data) : data
      row[7] = this.#size
      row[8] = b.length
      this.#chunks.push(b)
      this.#size += b.length
    }
    this.rows.push(row)
    return row
  }

  bytes(version: string, checkedAt: number): Buffer {
    const index = Buffer.from(JSON.stringify({ version, checkedAt, rows: this.rows }))
    const head = Buffer.alloc(8)
    head.write(MAGIC, 0, 'latin1')
    head.writeUInt32LE(index.length, 4)
    return Buffer.concat([head, index, ...this.#chunks])
  }
}
