// `peerfeed serve` as a real child process on 127.0.0.1 port 0, with its URL, pid and memory (from /proc).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { BIN, REPO } from './index.ts'

export interface ServeChild {
  url: string
  pid: number
  child: ChildProcess
  /** resident memory now and its peak (VmRSS, VmHWM of /proc/PID/status), in MB */
  memory(): { rssMb: number; peakMb: number }
  /** Kills the server (SIGKILL) if its RSS passes `mb` while `work` runs: a test fails fast instead of swapping. */
  guard<T>(mb: number, work: Promise<T>): Promise<T>
  output(): string
  stop(): Promise<void>
}

export async function serveChild(root: string, args: string[] = []): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--root', root, '--port', '0', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s:\n${out}`)), 60_000)
    const look = () => {
      const m = / the API at (http:\/\/\S+\/) /.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', look)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}:\n${out}`))
    })
  })
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : NaN
  }
  return {
    url,
    pid: child.pid!,
    child,
    memory: () => ({ rssMb: kb('VmRSS'), peakMb: kb('VmHWM') }),
    output: () => out,
    async guard<T>(mb: number, work: Promise<T>): Promise<T> {
      let over = 0
      const timer = setInterval(() => {
        try {
          const rss = kb('VmRSS')
          if (rss > mb) {
            over = rss
            child.kill('SIGKILL')
          }
        } catch {
          /* exited */
        }
      }, 50)
      const killed = () => new Error(`the server grew to ${over} MB (over ${mb} MB) and was killed`)
      let result: T
      try {
        result = await work
      } catch (e) {
        clearInterval(timer)
        throw over ? killed() : e
      }
      clearInterval(timer)
      if (over) throw killed()
      return result
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await gone
      clearTimeout(timer)
    },
  }
}
