// Where a secret key's passphrase comes from: --passphrase-file, PEERFEED_PASSPHRASE, or a prompt on a real terminal.
import fs from 'node:fs/promises'
import { PeerFeedError } from '../errors.ts'

export interface PassphraseSources {
  'passphrase-file'?: unknown
  passphraseFile?: unknown
}

/**
 * The passphrase, or undefined when none was given. Reads only the first line of the file (editors add a
 * newline). Prompts only when `prompt` is set and stdin is a TTY: a script must never hang on a question.
 */
export async function passphraseFrom(
  opts: PassphraseSources,
  {
    env = process.env,
    prompt = false,
    stdin = process.stdin,
    stderr = process.stderr,
  }: {
    env?: NodeJS.ProcessEnv
    prompt?: boolean
    stdin?: NodeJS.ReadStream
    stderr?: NodeJS.WriteStream
  } = {},
): Promise<string | undefined> {
  const file = opts['passphrase-file'] ?? opts.passphraseFile
  if (typeof file === 'string' && file !== '') {
    try {
      return (await fs.readFile(file, 'utf8')).split(/\r?\n/)[0]
    } catch (cause) {
      throw new PeerFeedError('PASSPHRASE_FILE', `cannot read the passphrase file ${file}: ${(cause as Error).message}`, { cause })
    }
  }
  if (env.PEERFEED_PASSPHRASE !== undefined && env.PEERFEED_PASSPHRASE !== '') return env.PEERFEED_PASSPHRASE
  if (prompt && stdin.isTTY) return askHidden('Passphrase: ', stdin, stderr)
  return undefined
}

function askHidden(question: string, stdin: NodeJS.ReadStream, out: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = ''
    out.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    const done = (fn: () => void) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      out.write('\n')
      fn()
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(answer))
        if (ch === '\u0003') return done(() => reject(new PeerFeedError('CANCELLED', 'cancelled')))
        if (ch === '\u007f') answer = answer.slice(0, -1)
        else answer += ch
      }
    }
    stdin.on('data', onData)
  })
}
