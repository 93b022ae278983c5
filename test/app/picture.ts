// A real PNG drawn in code (a hill landscape), so app tests and screenshots have a picture a browser decodes.
import zlib from 'node:zlib'

const CRC = new Int32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c
})
const crc32 = (b: Buffer) => {
  let c = -1
  for (const x of b) c = CRC[(c ^ x) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A width×height RGB PNG: sky, sun and two hills; `hue` shifts the colours so pictures differ. */
export function landscapePng(width = 480, height = 320, hue = 0): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0
    for (let x = 0; x < width; x++) {
      const hill1 = height * 0.62 + Math.sin(x / 70 + hue) * 22
      const hill2 = height * 0.75 + Math.cos(x / 45 + hue) * 14
      const sun = (x - width * 0.72) ** 2 + (y - height * 0.3) ** 2 < (height * 0.09) ** 2
      let rgb: [number, number, number]
      if (y > hill2) rgb = [40, 110 + (y % 7), 60]
      else if (y > hill1) rgb = [70, 140, 80]
      else if (sun) rgb = [255, 214, 102]
      else rgb = [110 + y / 3 + hue * 20, 160 + y / 4, 230 - hue * 10]
      const o = y * (width * 3 + 1) + 1 + x * 3
      raw[o] = Math.min(255, rgb[0])
      raw[o + 1] = Math.min(255, rgb[1])
      raw[o + 2] = Math.min(255, Math.max(0, rgb[2]))
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  ihdr[10] = 0
  ihdr[11] = 0
  ihdr[12] = 0
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
