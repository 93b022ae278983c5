// `peerfeed peer add|list|remove`: friends' public keys under petnames (keys/NAME.asc).
import type { Sade } from 'sade'
import { command, layoutOf, record, type GlobalOpts } from '../run.ts'

export function register(prog: Sade) {
  prog
    .command(
      'peer add <name> <source>',
      "Add a friend's public key under a petname. SOURCE: a key file, a key URL, or their PeerFeed address",
    )
    .example('peer add alice alice.asc')
    .example('peer add bob https://bob.example.org      # also follows bob there')
    .option('--no-follow', 'With their PeerFeed address: add the key only, do not follow them there')
    .action(
      command(async (name: string, source: string, opts: GlobalOpts) => {
        const { addPeer, formatFingerprint } = await import('../../identity/index.ts')
        const l = layoutOf(opts)
        const p = await addPeer(l, String(name), String(source))
        console.log(`added "${p.name}" from ${p.origin} → keys/${p.name}.asc`)
        console.log(`  ${p.key.userIds.join(', ') || '(no user ID)'}`)
        console.log(`  fingerprint: ${formatFingerprint(p.fingerprint)}`)
        console.log('Compare this fingerprint with the one your friend sees in `peerfeed key` (in person or on a call).')
        if (p.blocked) console.log(`note: this key is blocked; "${p.name}" receives nothing until \`peerfeed unblock ${p.name}\`.`)
        await record(l, [`keys/${p.name}.asc`], `peer: add ${p.name} (${p.fingerprint})`)
        // their PeerFeed address (not a key file's URL) is where they serve: sync fetches from there
        const address = String(source)
        if (opts.follow !== false && /^https?:\/\//i.test(address) && !/\.(asc|gpg|pgp|key)$/i.test(new URL(address).pathname)) {
          const { follow, readFollows } = await import('../../sync/follows.ts')
          const already = (await readFollows(l)).find((f) => f.name === p.name && f.url)
          if (already) console.log(`already following "${p.name}" at ${already.url}`)
          else {
            const f = await follow(l, p.name, address)
            console.log(`following "${p.name}" at ${f.url}: \`peerfeed sync\` fetches what they share with you`)
          }
        }
      }),
    )

  prog.command('peer list', 'List friends: petname, fingerprint, groups, blocked').action(
    command(async (opts: GlobalOpts) => {
      const { scanPeers, scanGroups, loadBlocked } = await import('../../identity/index.ts')
      const l = layoutOf(opts)
      const [peers, groups, blocked] = await Promise.all([scanPeers(l), scanGroups(l), loadBlocked(l)])
      if (peers.length === 0) {
        console.log('no friends yet; add one with `peerfeed peer add NAME KEY`')
        return
      }
      const width = Math.max(4, ...peers.map((p) => p.name.length))
      console.log(`${'NAME'.padEnd(width)}  ${'FINGERPRINT'.padEnd(40)}  GROUPS`)
      for (const p of peers) {
        const inGroups = groups.filter((g) => g.members.some((m) => m.name === p.name)).map((g) => g.name)
        const fp = p.key ? p.key.fingerprint : 'unreadable key file'
        const flags = [
          p.key && blocked.has(p.key.fingerprint) ? 'BLOCKED' : '',
          p.key?.revoked ? 'REVOKED' : p.key?.expired ? 'EXPIRED' : '',
          p.error ? `(${p.error.message}; run \`peerfeed check\`)` : '',
        ].filter(Boolean)
        console.log(`${p.name.padEnd(width)}  ${fp.padEnd(40)}  ${inGroups.join(',') || '-'}${flags.length ? `  ${flags.join(' ')}` : ''}`)
      }
    }),
  )

  prog.command('peer remove <name>', 'Remove a friend: deletes keys/NAME.asc and takes NAME out of every group').action(
    command(async (name: string, opts: GlobalOpts) => {
      const { removePeer } = await import('../../identity/index.ts')
      const l = layoutOf(opts)
      const r = await removePeer(l, String(name))
      console.log(`removed "${name}"${r.fingerprint ? ` (${r.fingerprint})` : ''}`)
      if (r.groups.length) console.log(`  also removed from group${r.groups.length > 1 ? 's' : ''}: ${r.groups.join(', ')}`)
      await record(l, [`keys/${name}.asc`, ...r.groups.map((g) => `groups/${g}.yaml`)], `peer: remove ${name}`)
    }),
  )
}
