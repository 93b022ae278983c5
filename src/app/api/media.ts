// GET /media/:fpr/:stem/:n — the n-th attachment of a post I can read, from feed/ or inbox/<friend>/. Only a file
// inside that post's own folder tree is served (a friend's post cannot point at ../../.peerfeed), never through a symlink.
import fs from 'node:fs'
import path from 'node:path'
import { BASE_HEADERS, HttpError } from '../http.ts'
import type { Router } from '../router.ts'

const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif'])

export function routes(r: Router) {
  r.get('/media/:fpr/:stem/:n', async (q) => {
    const e = q.app.index.byId.get(`${q.params.fpr}/${q.params.stem}`)
    const a = e?.post.data.attachments?.[Number(q.params.n)]
    if (!e || !a) throw new HttpError(404, 'NO_FILE', 'no such attachment')
    const base = e.author === 'me' ? q.app.layout.feed : path.join(q.app.layout.inbox, e.author)
    const file = path.resolve(q.app.layout.root, path.dirname(e.post.file), a.path)
    if (!file.startsWith(base + path.sep)) throw new HttpError(404, 'NO_FILE', 'no such attachment')
    let fd: number
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
    } catch {
      throw new HttpError(404, 'NO_FILE', 'the attachment is missing on disk')
    }
    const st = fs.fstatSync(fd)
    const real = fs.realpathSync(file)
    if (!st.isFile() || !real.startsWith(fs.realpathSync(base) + path.sep)) {
      fs.closeSync(fd)
      throw new HttpError(404, 'NO_FILE', 'no such attachment')
    }
    const type = INLINE.has(a.mediaType ?? '') ? a.mediaType! : 'application/octet-stream'
    q.res.writeHead(200, {
      ...BASE_HEADERS,
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=3600',
      'content-type': type,
      'content-length': st.size,
      ...(type === 'application/octet-stream'
        ? { 'content-disposition': `attachment; filename="${path.basename(a.path).replace(/[^\w.-]/g, '_')}"` }
        : {}),
    })
    fs.createReadStream('', { fd }).pipe(q.res)
  })
}
