// The parse cache of loadPosts, one file read whole and parsed in a few steps, not one JSON value per post: the
// numbers of every row in one Float64Array, the file names in one string, the hashes in another, and every post's
// data as JSON read by slice only when its fields are wanted (a timeline of 30 needs the dates of all posts but the
// fields of 30). A CRC-32 over everything after the header's length: a damaged file is ignored, never trusted.
// Layout: 'PFC2', header length (uint32 LE), CRC-32 of the rest (uint32 LE), header (UTF-8 JSON), zero padding to a
// multiple of 8, the numbers (NUM per row, float64 LE), the file names ('\n'-joined UTF-8), the hashes (64 hex
// characters each, a missing one as spaces), the data bytes.
import fs from 'node:fs'
import zlib from 'node:zlib'
import type { Problem } from '../errors.ts'

/** `[file, size, mtimeMs, ctimeMs, ino, sha256, published ms, data offset (-1: none), data length, problems?, att?]` */
export type Row = [string, number, number, number, number, string, number, number, number, Problem[]?, [number, number][]?]

/** `[folder relative to the feed root, mtimeMs, ctimeMs, ino]` of a folder as it was listed */
export type DirStamp = [string, number, number, number]

/** numbers per row: size, mtimeMs, ctimeMs, ino, published ms, data offset (-1: none), data length */
const NUM = 7
const MAGIC = 'PFC2'

interface Header {
  version: string
  checkedAt: number
  n: number
  namesBytes: number
  /** row index → [problems, attachments' [size, mtime]] for the few rows that have them */
  extra: Record<string, [Problem[], [number, number][]]>
  /** problems found across files (duplicate ids) when this file list was read; valid while the list is the same */
  listProblems: Problem[]
  /** the folders listed, for loads that trust a folder's times (list-post-files.ts) */
  dirs?: DirStamp[]
}

export interface PostCache {
  version: string
  checkedAt: number
  /** the rows' files, sorted as loadPosts lists them */
  files: string[]
  /** NUM numbers per row */
  num: Float64Array
  listProblems: Problem[]
  dirs: DirStamp[]
  hash(i: number): string
  /** the 64 characters the file holds for row i's hash (a missing one as spaces) */
  hashAt(i: number): string
  extra(i: number): [Problem[], [number, number][]] | undefined
  /** the post's data as JSON bytes (a view, not a copy), or null for a file with problems */
  bytes(i: number): Buffer | null
}

export const cacheSize = (c: PostCache, i: number) => c.num[i * NUM]
export const cacheMtime = (c: PostCache, i: number) => c.num[i * NUM + 1]
export const cacheCtime = (c: PostCache, i: number) => c.num[i * NUM + 2]
export const cacheIno = (c: PostCache, i: number) => c.num[i * NUM + 3]
export const cachePublished = (c: PostCache, i: number) => c.num[i * NUM + 4]
/** false for a file with problems: no post data */
export const cacheHasData = (c: PostCache, i: number) => c.num[i * NUM + 5] >= 0

/** The cache, or undefined when it is missing, of another version, or damaged in any way. */
export function readPostCache(file: string, version: string): PostCache | undefined {
  let buf: Buffer
  try {
    buf = fs.readFileSync(file)
  } catch {
    return undefined
  }
  try {
    if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) return undefined
    if (zlib.crc32(buf.subarray(12)) !== buf.readUInt32LE(8) >>> 0) return undefined
    const hlen = buf.readUInt32LE(4)
    const h = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as Header
    if (h.version !== version || typeof h.checkedAt !== 'number' || !Number.isInteger(h.n) || h.n < 0) return undefined
    const numAt = align8(12 + hlen)
    const namesAt = numAt + h.n * NUM * 8
    const hashesAt = namesAt + h.namesBytes
    const dataAt = hashesAt + h.n * 64
    if (dataAt > buf.length) return undefined
    // a view when the bytes are aligned for float64 (a file read whole starts its own buffer), else a copy
    const num =
      (buf.byteOffset + numAt) % 8 === 0
        ? new Float64Array(buf.buffer, buf.byteOffset + numAt, h.n * NUM)
        : new Float64Array(Uint8Array.prototype.slice.call(buf, numAt, namesAt).buffer)
    const files = h.n ? buf.toString('utf8', namesAt, hashesAt).split('\n') : []
    if (files.length !== h.n) return undefined
    const hashes = buf.toString('latin1', hashesAt, dataAt)
    const dataLen = buf.length - dataAt
    for (let i = 0; i < h.n; i++) {
      const off = num[i * NUM + 5]
      if (off >= 0 && off + num[i * NUM + 6] > dataLen) return undefined
    }
    return {
      version,
      checkedAt: h.checkedAt,
      files,
      num,
      listProblems: h.listProblems ?? [],
      dirs: Array.isArray(h.dirs) ? h.dirs : [],
      hash: (i) => {
        const s = hashes.slice(i * 64, i * 64 + 64)
        return s.charCodeAt(63) === 32 ? s.trimEnd() : s
      },
      hashAt: (i) => hashes.slice(i * 64, i * 64 + 64),
      extra: (i) => h.extra[i],
      bytes: (i) => {
        const off = num[i * NUM + 5]
        return off < 0 ? null : buf.subarray(dataAt + off, dataAt + off + num[i * NUM + 6])
      },
    }
  } catch {
    return undefined
  }
}

const align8 = (n: number) => (n + 7) & ~7

/** Collects rows and their data, then makes the file's bytes. */
export class PostCacheWriter {
  readonly #files: string[] = []
  readonly #hashes: string[] = []
  readonly #num: number[] = []
  readonly #extra: Header['extra'] = {}
  readonly #chunks: Buffer[] = []
  #size = 0

  get length(): number {
    return this.#files.length
  }

  /** `row`'s offset and length are set here. */
  add(row: Row, data: Buffer | string | null): Row {
    const i = this.#files.length
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
    this.#files.push(row[0])
    this.#hashes.push(row[5].length === 64 ? row[5] : row[5].slice(0, 64).padEnd(64, ' '))
    this.#num.push(row[1], row[2], row[3], row[4], row[6], row[7], row[8])
    if (row[9]?.length || row[10]?.length) this.#extra[i] = [row[9] ?? [], row[10] ?? []]
    return row
  }

  /**
   * Row `i` of `cache`, as it is: its numbers and bytes copied as they are, without making a row (a build that adds one
   * post keeps 10,000 rows). Rows kept in a run share one chunk of the old file's data.
   */
  keep(cache: PostCache, i: number): void {
    const at = this.#files.length
    this.#files.push(cache.files[i])
    this.#hashes.push(cache.hashAt(i))
    const n = cache.num
    const o = i * NUM
    const bytes = cache.bytes(i)
    if (bytes === null) this.#num.push(n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], -1, 0)
    else {
      this.#num.push(n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], this.#size, bytes.length)
      const last = this.#chunks[this.#chunks.length - 1]
      // the next bytes of the same file: the last chunk grows instead of a chunk per row
      if (last && last.buffer === bytes.buffer && last.byteOffset + last.length === bytes.byteOffset)
        this.#chunks[this.#chunks.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + bytes.length)
      else this.#chunks.push(bytes)
      this.#size += bytes.length
    }
    const e = cache.extra(i)
    if (e && (e[0].length || e[1].length)) this.#extra[at] = e
  }

  bytes(version: string, checkedAt: number, listProblems: Problem[] = [], dirs?: DirStamp[]): Buffer {
    const names = Buffer.from(this.#files.join('\n'))
    const header: Header = { version, checkedAt, n: this.#files.length, namesBytes: names.length, extra: this.#extra, listProblems, dirs }
    const h = Buffer.from(JSON.stringify(header))
    const head = Buffer.alloc(align8(12 + h.length))
    head.write(MAGIC, 0, 'latin1')
    head.writeUInt32LE(h.length, 4)
    h.copy(head, 12)
    const num = Buffer.from(new Float64Array(this.#num).buffer)
    const all = Buffer.concat([head, num, names, Buffer.from(this.#hashes.join(''), 'latin1'), ...this.#chunks])
    all.writeUInt32LE(zlib.crc32(all.subarray(12)) >>> 0, 8)
    return all
  }
}

/** Every row and its data, as a test or a tool sees them (not used on the fast path). */
export function readRows(
  file: string,
  version: string,
): { checkedAt: number; rows: Row[]; data: (Buffer | null)[]; dirs: DirStamp[]; listProblems: Problem[] } | undefined {
  const c = readPostCache(file, version)
  if (!c) return undefined
  const rows: Row[] = []
  const data: (Buffer | null)[] = []
  for (let i = 0; i < c.files.length; i++) {
    rows.push(rowOf(c, i))
    data.push(c.bytes(i))
  }
  return { checkedAt: c.checkedAt, rows, data, dirs: c.dirs, listProblems: c.listProblems }
}

/** Row `i` of the cache as a Row (a copy; the fast path reads the columns instead). */
export function rowOf(c: PostCache, i: number): Row {
  const n = c.num.subarray(i * NUM, i * NUM + NUM)
  const e = c.extra(i)
  return [c.files[i], n[0], n[1], n[2], n[3], c.hash(i), n[4], n[5], n[6], ...(e ?? [])] as Row
}
