// Bench child: floods POST /api/v1/updates with garbage (not armored, random armor, messages for another key) until killed.
import autocannon from 'autocannon'

const [url, garbageJson] = process.argv.slice(2)
const bodies = JSON.parse(garbageJson) as string[]
let i = 0
const instance = autocannon({
  url: new URL('api/v1/updates', url).href,
  connections: 50,
  duration: 600,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/pgp-encrypted' },
      setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[i++ % bodies.length] }),
    },
  ],
})
process.on('SIGTERM', () => instance.stop())
instance.on('done', (r: { requests: { total: number }; non2xx: number; errors: number }) => {
  console.log(JSON.stringify({ total: r.requests.total, non2xx: r.non2xx, errors: r.errors }))
  process.exit(0)
})
