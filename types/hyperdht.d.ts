// Just enough of hyperdht's surface for src/discovery (the package ships no types).
declare module 'hyperdht' {
  import type { EventEmitter } from 'node:events'
  import type { Duplex } from 'node:stream'

  export interface KeyPair {
    publicKey: Buffer
    secretKey: Buffer
  }
  export interface HostPort {
    host: string
    port: number
  }
  export interface DHTOptions {
    bootstrap?: Array<HostPort | string>
    keyPair?: KeyPair
    port?: number
    host?: string
    firewalled?: boolean
    ephemeral?: boolean
    [k: string]: unknown
  }
  /** A Noise-encrypted streamx Duplex (not a node stream: wrap before handing it to node:http). */
  export interface NoiseStream extends EventEmitter {
    readonly opened: Promise<boolean>
    readonly remotePublicKey: Buffer
    readonly destroyed: boolean
    write(data: Buffer | Uint8Array | string): boolean
    end(data?: Buffer | Uint8Array | string): void
    destroy(err?: Error): void
    pause(): void
    resume(): void
    setKeepAlive(ms: number): void
  }
  export interface LookupReply {
    from: HostPort
    peers: Array<{ publicKey: Buffer; relayAddresses: HostPort[] }>
  }
  export interface Query extends AsyncIterable<LookupReply> {
    destroy(err?: Error): void
    finished(): Promise<void>
  }

  export default class DHT extends EventEmitter {
    constructor(opts?: DHTOptions)
    static keyPair(seed?: Buffer): KeyPair
    readonly destroyed: boolean
    readonly listening: Set<{ close(): Promise<void> }>
    defaultKeyPair: KeyPair
    ready(): Promise<void>
    fullyBootstrapped(): Promise<void>
    address(): { host: string; port: number }
    lookup(topic: Buffer, opts?: object): Query
    connect(publicKey: Buffer, opts?: { relayAddresses?: HostPort[]; keyPair?: KeyPair }): NoiseStream
    destroy(opts?: { force?: boolean }): Promise<void>
  }
  export type { Duplex }
}

declare module 'hyperdht/testnet.js' {
  import type DHT from 'hyperdht'
  import type { DHTOptions, HostPort } from 'hyperdht'
  export interface Testnet {
    nodes: DHT[]
    bootstrap: HostPort[]
    createNode(opts?: DHTOptions): DHT
    destroy(): Promise<void>
  }
  export default function createTestnet(size?: number, opts?: { host?: string; port?: number; bootstrap?: HostPort[] }): Promise<Testnet>
}
