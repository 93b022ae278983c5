// Media types of the attachment files people commonly post, by extension.
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.heic': 'image/heic',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.pdf': 'application/pdf',
  '.gpx': 'application/gpx+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
}

export const mediaTypeOf = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
