// `peerfeed post [TYPE] [TEXT]`: checks a new post as `check` would, then writes it under feed/YYYY/MM/ and commits it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Sade } from 'sade'
import { PeerFeedError } from '../../errors.ts'
import { command, layoutOf, list, type GlobalOpts } from '../run.ts'
import type { PostFlags } from '../../posts/compose.ts'

export function register(prog: Sade) {
  prog
    .command('post [type] [text]', 'Write a new post (status, image, link, location, event, activity, comment, like)')
    .option(
      '--text',
      'The words of the post (or give them after the type, or alone for a status); without them, read stdin or open $EDITOR',
    )
    .option('--to', 'Who sees it: public (default), or petnames of friends and groups; repeat or comma-separate')
    .option('--tag', 'A tag; repeat or comma-separate')
    .option('--url', 'link: the address')
    .option('--title', 'link: the page title')
    .option('--image', 'image: a picture file to attach (repeatable)')
    .option('--alt', 'image: a text describing the picture')
    .option('--lat', 'location: latitude')
    .option('--lon', 'location: longitude')
    .option('--place', 'location: the place name')
    .option('--name', 'event: its name')
    .option('--start', 'event: start time, e.g. 2026-12-24T18:00:00+01:00')
    .option('--end', 'event: end time')
    .option('--location', 'event: where it happens')
    .option('--activity', 'activity: run, ride, walk, hike, swim, …')
    .option('--distance', 'activity: distance in km')
    .option('--duration', 'activity: ISO 8601 duration, e.g. PT45M')
    .option('--elevation', 'activity: elevation gain in metres')
    .option('--reply-to', 'comment: the post it answers — the short id `timeline` prints (or a prefix of it), or a full id')
    .option('--of', 'like: the liked post — the short id `timeline` prints (or a prefix of it), or a full id')
    .option('--in-reply-to', 'comment: same as --reply-to')
    .option('--object', 'like: same as --of')
    .option('--date', 'Publish time (default: now), ISO 8601')
    .option('--no-commit', 'Write the file but do not commit it')
    .example('post "First snow in the garden." --to family')
    .example('post --text "First snow in the garden." --to family')
    .example('post link --url https://example.org --text "Worth a read"')
    .example('post comment --reply-to alice/2026-11-24T09-30-00Z-first-snow --text "Lovely!"')
    .example('post like --of alice/2026-11-24T09-30')
    .action(
      command(async (first: string | undefined, second: string | undefined, opts: GlobalOpts) => {
        const layout = layoutOf(opts)
        const { inferType, compose, wordsOrType } = await import('../../posts/compose.ts')
        const { savePost } = await import('../../posts/save-post.ts')
        const flags = readFlags(opts)
        const { type, text } = wordsOrType(first, second, flags.text)
        flags.text = text
        const t = inferType(type, flags)
        if (flags.text === undefined && t !== 'like') flags.text = await readText(t)
        // the same path as the app's composer: validate, write, commit
        const saved = await savePost(layout, compose(t, flags), { commit: opts.commit !== false })
        console.log(`wrote ${saved.file}`)
        if (opts.commit !== false) {
          console.log(
            saved.commit ? `committed ${saved.commit}` : 'not a git repository, so not committed (run `peerfeed init` to make one)',
          )
        }
      }),
    )
}

function num(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new PeerFeedError('BAD_FLAG', `--${flag} must be a number, got '${v}'`)
  return n
}

function one(v: unknown): string | undefined {
  if (v === undefined || v === true) return undefined
  return Array.isArray(v) ? String(v[v.length - 1]) : String(v)
}

function readFlags(o: GlobalOpts): PostFlags {
  return {
    text: one(o.text),
    to: list(o.to),
    tags: list(o.tag ?? o.tags),
    url: one(o.url),
    title: one(o.title),
    images: list(o.image),
    alt: one(o.alt),
    lat: num(o.lat, 'lat'),
    lon: num(o.lon, 'lon'),
    place: one(o.place),
    name: one(o.name),
    start: one(o.start),
    end: one(o.end),
    location: one(o.location),
    activity: one(o.activity),
    distance: num(o.distance, 'distance'),
    duration: one(o.duration),
    elevation: num(o.elevation, 'elevation'),
    inReplyTo: one(o['reply-to'] ?? o['in-reply-to']),
    object: one(o.of ?? o.object),
    date: one(o.date),
  }
}

/** No --text: stdin when piped, else $VISUAL/$EDITOR on a terminal; with neither, say how to give the text. */
async function readText(type: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  const editor = process.env.VISUAL || process.env.EDITOR
  if (!editor) {
    throw new PeerFeedError(
      'NO_TEXT',
      `no text given and no editor set ($VISUAL or $EDITOR), so there is nothing to write the ${type} in; nothing was posted.
  Give the text with --text "…", pipe it in (echo "…" | peerfeed post${type === 'status' ? '' : ` ${type}`}), or set an editor (export EDITOR=nano).`,
    )
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'peerfeed-')), `new-${type}.txt`)
  fs.writeFileSync(file, '')
  const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true })
  if (r.status !== 0) throw new PeerFeedError('EDITOR_FAILED', `the editor '${editor}' exited with ${r.status}; nothing was posted`)
  const text = fs.readFileSync(file, 'utf8')
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
  if (!text.trim()) throw new PeerFeedError('EMPTY_POST', 'the post is empty; nothing was posted')
  return text
}
