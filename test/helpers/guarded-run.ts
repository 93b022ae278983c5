// Runs `peerfeed ARGS` as a child process and watches its memory in /proc: the peak is reported, and a child
// passing the bound is killed at once (a test fails fast instead of driving the machine into swap).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { BIN, REPO, type CliResult } from './index.ts'

export interface Guarded extends CliResult {
  /** highest VmRSS seen (and VmHWM at the last look), in MB */
  peakMb: number
  /** set when the child passed the bound and was killed */
  killedAtMb?: number
}

export function guardedCli(args: string[], { maxMb, timeoutMs = 120_000 }: { maxMb: number; timeoutMs?: number }): Promise<Guarded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let peakMb = 0
    let killedAtMb: number | undefined
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const look = () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const mb = (f: string) => Math.round(Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024)
        peakMb = Math.max(peakMb, mb('VmRSS'), mb('VmHWM'))
        if (peakMb > maxMb && killedAtMb === undefined) {
          killedAtMb = peakMb
          child.kill('SIGKILL')
        }
      } catch {
        /* gone */
      }
    }
    const poll = setInterval(look, 25)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(poll)
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr, peakMb, ...(killedAtMb ? { killedAtMb } : {}) })
    })
  })
}
