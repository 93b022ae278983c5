// Questions on a terminal, one line each; typed-ahead lines are kept for the next question. `hidden` turns echo off.
import { PeerFeedError } from '../errors.ts'

export interface Prompter {
  ask(question: string, opts?: { hidden?: boolean }): Promise<string>
  close(): void
}

export function prompter(stdin: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): Prompter {
  let buf = ''
  let ended = false
  let wake: (() => void) | undefined
  const onData = (d: Buffer | string) => {
    buf += d.toString()
    wake?.()
  }
  const onEnd = () => {
    ended = true
    wake?.()
  }
  stdin.on('data', onData)
  stdin.on('end', onEnd)
  stdin.resume()
  return {
    async ask(question, { hidden = false } = {}) {
      out.write(question)
      const raw = hidden && stdin.isTTY
      if (raw) stdin.setRawMode(true)
      try {
        for (;;) {
          if (buf.includes('\u0003')) throw new PeerFeedError('CANCELLED', 'cancelled; nothing was changed')
          const i = buf.search(/[\r\n]/)
          if (i >= 0) {
            let line = buf.slice(0, i)
            buf = buf.slice(buf[i] === '\r' && buf[i + 1] === '\n' ? i + 2 : i + 1)
            // raw mode hands us the keys themselves: apply backspaces
            while (line.includes('\u007f')) line = line.replace(/[^\u007f]?\u007f/, '')
            if (raw) out.write('\n')
            return line
          }
          if (ended) throw new PeerFeedError('CANCELLED', 'no answer (input ended); nothing was changed')
          await new Promise<void>((r) => {
            wake = r
          })
          wake = undefined
        }
      } finally {
        if (raw) stdin.setRawMode(false)
      }
    },
    close() {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.pause()
    },
  }
}
