// `serve` that cannot listen says why and exits non-zero, instead of hanging on its worker threads or watcher.
import { spawn } from 'node:child_process'
import net from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { BIN } from '../helpers/index.ts'
import { makeFeed, type TestFeed } from '../helpers/peers.ts'

const test = suite('serve cannot listen')
let ada: TestFeed
let blocker: net.Server
let port: number

test.before(async () => {
  ada = await makeFeed('ada')
  await ada.build()
  blocker = net.createServer()
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
  port = (blocker.address() as net.AddressInfo).port
})
test.after(async () => {
  await new Promise<void>((r) => blocker.close(() => r()))
  await ada?.close()
})

/** Runs the CLI; a process still running after `ms` is killed and reported as code null (a hang). */
function serve(args: string[], ms = 90_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--root', ada.layout.root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

test('a port in use: a clear message and exit code 1 (with decrypting threads and with --watch)', async () => {
  for (const extra of [['--decrypt-workers', '2'], ['--watch']]) {
    const r = await serve(['--port', String(port), ...extra])
    assert.is(r.code, 1, `${extra.join(' ')}: ${r.code === null ? 'still running (hung)' : r.stderr}`)
    assert.match(r.stderr, `port ${port} on 127.0.0.1 is already in use`)
    assert.match(r.stderr, /choose another with --port/)
  }
})

test("an address that is not this machine's: says which hosts work, exit code 1", async () => {
  const r = await serve(['--host', '192.0.2.1', '--port', '0'])
  assert.is(r.code, 1, r.code === null ? 'still running (hung)' : r.stderr)
  assert.match(r.stderr, /192\.0\.2\.1 is not an address of this machine; use --host 127\.0\.0\.1/)
})

test.run()
