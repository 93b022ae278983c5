// Two network namespaces joined by a veth pair, with multicast routed, for LAN tests that need real mDNS.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO } from '../helpers/index.ts'

export interface Side {
  ns: string
  dev: string
  addr: string
}
export interface Child {
  proc: ChildProcessWithoutNullStreams
  line(match: RegExp, ms?: number): Promise<string>
  stop(): Promise<void>
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })

/** Namespaces named by pid (and a tag), so parallel runs never clash. Call close() in a finally. */
export function vethPair(tag = 'a') {
  const id = `${process.pid}${tag}`
  const net = 10 + (process.pid % 240)
  const a: Side = { ns: `pfa${id}`, dev: `pfa${id}`.slice(0, 15), addr: `10.231.${net}.1` }
  const b: Side = { ns: `pfb${id}`, dev: `pfb${id}`.slice(0, 15), addr: `10.231.${net}.2` }
  const children = new Set<Child>()
  const close = async () => {
    for (const c of children) await c.stop()
    for (const s of [a, b]) {
      try {
        ip('netns', 'del', s.ns)
      } catch {
        /* already gone */
      }
    }
  }
  try {
    for (const s of [a, b]) ip('netns', 'add', s.ns)
    ip('link', 'add', a.dev, 'netns', a.ns, 'type', 'veth', 'peer', 'name', b.dev, 'netns', b.ns)
    for (const s of [a, b]) {
      ip('-n', s.ns, 'addr', 'add', `${s.addr}/24`, 'dev', s.dev)
      ip('-n', s.ns, 'link', 'set', 'lo', 'up')
      ip('-n', s.ns, 'link', 'set', s.dev, 'up')
      ip('-n', s.ns, 'route', 'add', '224.0.0.0/4', 'dev', s.dev)
    }
  } catch (e) {
    void close()
    throw e
  }

  /** Runs `node --import tsx script args…` inside a namespace; stdout lines can be awaited. */
  function run(side: Side, script: string, args: string[] = []): Child {
    const proc = spawn('ip', ['netns', 'exec', side.ns, process.execPath, '--import', 'tsx', script, ...args], { cwd: REPO })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (err += d))
    const exited = new Promise<void>((r) => proc.on('close', () => r()))
    const child: Child = {
      proc,
      line: (match, ms = 15_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const hit = out.split('\n').find((l) => match.test(l))
            if (hit !== undefined) {
              clearInterval(poll)
              clearTimeout(t)
              resolve(hit)
            }
          }
          const poll = setInterval(check, 20)
          const t = setTimeout(() => {
            clearInterval(poll)
            reject(new Error(`no line matching ${match} from ${script} within ${ms} ms\nstdout: ${out}\nstderr: ${err}`))
          }, ms)
          void exited.then(() =>
            setTimeout(() => {
              check()
              clearInterval(poll)
              clearTimeout(t)
              reject(new Error(`${script} exited early\nstdout: ${out}\nstderr: ${err}`))
            }, 30),
          )
        }),
      stop: async () => {
        children.delete(child)
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.stdin.end()
          setTimeout(() => proc.kill('SIGKILL'), 3000).unref()
        }
        await exited
      },
    }
    children.add(child)
    return child
  }

  /** Runs a script inside a namespace to its end: exit code, stdout, stderr (like cli() on the host). */
  function exec(side: Side, script: string, args: string[] = [], ms = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
    const c = run(side, script, args)
    let stdout = ''
    let stderr = ''
    c.proc.stdout.on('data', (d) => (stdout += d))
    c.proc.stderr.on('data', (d) => (stderr += d))
    c.proc.stdin.end()
    const killer = setTimeout(() => c.proc.kill('SIGKILL'), ms)
    return new Promise((resolve) =>
      c.proc.on('close', (code) => {
        clearTimeout(killer)
        children.delete(c)
        resolve({ code: code ?? -1, stdout, stderr })
      }),
    )
  }
  return { a, b, run, exec, close }
}

/** True in the script node was started with (children guard their body with it). */
export const isMain = (url: string) => !!process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === url
