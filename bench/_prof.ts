import { layout } from '../src/paths.ts'
import { loadPosts } from '../src/posts/load-posts.ts'
import { generateFeed, tmp } from './util.ts'
import { Session } from 'node:inspector/promises'
import fs from 'node:fs'
const root = await tmp('prof-')
await generateFeed(root, 10000)
const l = layout(root)
await loadPosts(l, { fingerprint: 'ab'.repeat(20) })
await loadPosts(l, { fingerprint: 'ab'.repeat(20) })
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start')
const t = performance.now()
for (let i = 0; i < 3; i++) await loadPosts(l, { fingerprint: 'ab'.repeat(20) })
console.log('warm x3', (performance.now() - t).toFixed(0))
const { profile } = await s.post('Profiler.stop')
// self time by function
const self = new Map<string, number>()
const dt = profile.timeDeltas!; const samples = profile.samples!
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
for (let i = 0; i < samples.length; i++) { const n = byId.get(samples[i])!; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-1)[0]}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + dt[i]) }
const tot = [...self.values()].reduce((a, b) => a + b, 0)
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / tot * 100).toFixed(1).padStart(5), '%', k)
