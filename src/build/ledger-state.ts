// The ledger's edges: this device's local part (page plan, group keys), the one-time move of an old local
// ledger into the repo, and committing this device's ledger file after a build.
import { commitFiles, isRepo, runGit } from '../git.ts'
import { splitId } from '../posts/ids.ts'
import type { Ledger } from './ledger.ts'
import { LEDGER_DIR, type LogBuild, type LogEntry } from './ledger-log.ts'
import { readJson } from './state.ts'

export type LocalLedger = Pick<Ledger, 'pages' | 'groupKeys'>

export async function readLocalLedger(files: { localLedger: string; ledger: string }): Promise<LocalLedger> {
  const local = await readJson<LocalLedger | null>(files.localLedger, null)
  if (local) return { pages: local.pages ?? {}, groupKeys: local.groupKeys ?? {} }
  const old = await readJson<Partial<LocalLedger> | null>(files.ledger, null)
  return { pages: old?.pages ?? {}, groupKeys: old?.groupKeys ?? {} }
}

interface OldLedger {
  versions: Record<string, { hash: string; cursor: number }>
  audiences: Record<string, Record<string, { c: number; d?: 1 }>>
}

/**
 * A feed built before the ledger moved into the repo: its cursors become this device's first build, so friends
 * keep their place.
 */
export async function migrateLedger(oldFile: string, dev: string): Promise<LogBuild | undefined> {
  const old = await readJson<OldLedger | null>(oldFile, null)
  if (!old?.versions) return undefined
  const stem = (id: string) => splitId(id)?.stem
  const entries: LogEntry[] = []
  const auds = new Map<string, string[]>()
  for (const [a, m] of Object.entries(old.audiences ?? {})) {
    for (const [id, e] of Object.entries(m)) {
      const s = stem(id)
      if (!s) continue
      if (e.d) entries.push({ k: 'D', c: e.c, stem: s, auds: [a] })
      else auds.set(s, [...(auds.get(s) ?? []), a])
    }
  }
  for (const [id, v] of Object.entries(old.versions)) {
    const s = stem(id)
    if (s) entries.push({ k: 'V', c: v.cursor, stem: s, hash: v.hash.slice(0, 16), auds: auds.get(s) ?? [] })
  }
  // tombstones older than a newer version of the same post are dropped by the replay; order is by cursor
  entries.sort((x, y) => x.c - y.c)
  return entries.length ? { dev, n: 1, seen: {}, entries } : undefined
}

/** Commits this device's ledger file; returns a line for the user when it could not (the build still counts). */
export async function commitLedger(root: string, dev: string, lines: number): Promise<string | undefined> {
  const file = `${LEDGER_DIR}/${dev}.txt`
  const message = `ledger: ${lines} cursor line(s) from device ${dev}`
  try {
    // one git process when the file is already tracked (every build but the device's first)
    await runGit(root, ['commit', '-q', '-m', message, '--', file]).catch(async (e) => {
      if (!(await isRepo(root))) throw Object.assign(new Error('not a git repository'), { notRepo: true })
      if (!/did not match|pathspec/i.test(String((e as Error).message))) throw e
      await commitFiles(root, [file], message)
    })
    return undefined
  } catch (e) {
    if ((e as { notRepo?: boolean }).notRepo) return undefined
    return `the ledger was written but not committed (${(e as Error).message.trim().split('\n')[0]}); commit ${file} yourself so your other devices see it`
  }
}
