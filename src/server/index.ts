// The server: static dist/ plus the exchange API (docs/protocol.md).
export { startServer, type ServerOptions, type RunningServer } from './start.ts'
export { DEFAULT_LIMITS, type Limits } from './limits.ts'
