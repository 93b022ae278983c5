// One error type for the whole tool: a code, a message a person can act on, an optional place and cause.

export interface Place {
  file?: string
  line?: number
  col?: number
}

export class PeerFeedError extends Error {
  readonly code: string
  readonly place: Place

  constructor(code: string, message: string, options: { cause?: unknown } & Place = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PeerFeedError'
    this.code = code
    this.place = { file: options.file, line: options.line, col: options.col }
  }

  /** `path:line:col  message`, the form `check` prints and editors understand. */
  toString(): string {
    return formatProblem(this.place, this.message)
  }
}

export function formatProblem(place: Place, message: string): string {
  if (!place.file) return message
  const where = place.line ? `${place.file}:${place.line}:${place.col ?? 1}` : place.file
  return `${where}  ${message}`
}

export const isPeerFeedError = (e: unknown): e is PeerFeedError => e instanceof PeerFeedError

/** One thing wrong with one file, as `check` reports it. */
export interface Problem extends Place {
  file: string
  message: string
  /** worth showing, but nothing is wrong with the feed itself (a friend's key revoked or expired): builds go on */
  warning?: true
}
