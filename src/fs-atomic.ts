// Atomic file writes: write a temp file beside the target, fsync, rename. Readers never see half a file.
import fs from 'node:fs/promises'
import path from 'node:path'
import crypto from 'node:crypto'

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: { mode?: number; exclusive?: boolean; durable?: boolean } = {},
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`)
  const fh = await fs.open(tmp, 'wx', opts.mode ?? 0o644)
  try {
    try {
      await fh.writeFile(data)
      // fsync for what a person wrote or cannot get back; derived output (dist/) skips it, a rebuild restores it
      if (opts.durable !== false) await fh.sync()
    } finally {
      await fh.close()
    }
    if (opts.exclusive) {
      // link() fails if the target exists: a create that never replaces what a user wrote.
      await fs.link(tmp, file)
      await fs.unlink(tmp)
    } else {
      await fs.rename(tmp, file)
    }
  } catch (e) {
    // a full disk fails the write (or the close): the temp file must not stay behind
    await fs.rm(tmp, { force: true })
    throw e
  }
}

export async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  )
}
