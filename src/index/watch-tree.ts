// Watches folder trees with fs.watch (recursive: one inotify watch per folder, nothing kept per file), so a feed
// of 30,000 posts costs no more to watch than one of 30. Reports absolute paths; hidden (temp) files are skipped.
import fs from 'node:fs'
import path from 'node:path'

export interface TreeWatcher {
  close(): void
}

/** Calls `onPath(abs)` for anything that changes under `dirs` (created when missing, unless `create` is false). */
export function watchTree(dirs: string[], onPath: (abs: string) => void, { create = true }: { create?: boolean } = {}): TreeWatcher {
  const watchers: fs.FSWatcher[] = []
  for (const dir of dirs) {
    if (create) fs.mkdirSync(dir, { recursive: true })
    else if (!fs.existsSync(dir)) continue
    const w = fs.watch(dir, { recursive: true }, (_event, name) => {
      if (!name) return
      const rel = name.toString()
      if (path.basename(rel).startsWith('.')) return
      onPath(path.join(dir, rel))
    })
    w.on('error', () => {}) // a folder removed under us: its parent's watcher reports what matters
    watchers.push(w)
  }
  return {
    close: () => {
      for (const w of watchers) w.close()
    },
  }
}
