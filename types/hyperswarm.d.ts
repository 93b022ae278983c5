// Just enough of hyperswarm's surface for src/discovery (the package ships no types).
declare module 'hyperswarm' {
  import type { EventEmitter } from 'node:events'
  import type DHT from 'hyperdht'
  import type { KeyPair, NoiseStream, HostPort } from 'hyperdht'

  export interface PeerDiscovery {
    flushed(): Promise<void>
    destroy(): Promise<void>
  }
  export default class Hyperswarm extends EventEmitter {
    constructor(opts?: { dht?: DHT; keyPair?: KeyPair; bootstrap?: HostPort[]; maxPeers?: number })
    readonly dht: DHT
    readonly keyPair: KeyPair
    readonly connections: Set<NoiseStream>
    join(topic: Buffer, opts?: { server?: boolean; client?: boolean }): PeerDiscovery
    leave(topic: Buffer): Promise<void>
    flush(): Promise<boolean>
    destroy(opts?: { force?: boolean }): Promise<void>
    on(event: 'connection', fn: (conn: NoiseStream, info: unknown) => void): this
    on(event: string, fn: (...args: any[]) => void): this
  }
}
