// Draws the example picture (feed/2026/11/…-snow-on-the-roofs.png): node draw-example-image.mjs OUT.png
import zlib from 'node:zlib'
import fs from 'node:fs'
const W = 480, H = 300
const px = new Uint8Array(W * H * 3)
const set = (x, y, [r, g, b]) => { if (x < 0 || y < 0 || x >= W || y >= H) return; const i = (y * W + x) * 3; px[i] = r; px[i + 1] = g; px[i + 2] = b }
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
// sky: pale winter blue to white near the horizon
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { const t = y / H; set(x, y, [Math.round(150 + 90 * t), Math.round(185 + 60 * t), Math.round(225 + 25 * t)]) }
// low sun
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { const d = Math.hypot(x - 380, y - 70); if (d < 26) set(x, y, [255, 244, 214]); else if (d < 60) { const i = (y * W + x) * 3; const k = (60 - d) / 34 * 0.35; px[i] += (255 - px[i]) * k; px[i + 1] += (245 - px[i + 1]) * k; px[i + 2] += (220 - px[i + 2]) * k } }
// houses: walls, snowy roofs, windows
const houses = [[10, 110, 180], [100, 95, 165], [180, 120, 190], [270, 105, 175], [360, 115, 185], [440, 90, 170]]
const walls = [[178, 84, 64], [196, 160, 110], [120, 70, 60], [205, 120, 80], [150, 110, 90], [185, 95, 70]]
houses.forEach(([x0, w, top], k) => {
  const roofH = 55, wallTop = top + roofH
  for (let y = wallTop; y < H; y++) for (let x = x0; x < x0 + w; x++) set(x, y, walls[k])
  for (let y = top; y < wallTop; y++) { const half = ((y - top) / roofH) * (w / 2 + 10); for (let x = Math.round(x0 + w / 2 - half); x < x0 + w / 2 + half; x++) { const edge = (y - top) / roofH; set(x, y, edge > 0.82 ? [90, 60, 55] : [246, 249, 252 - Math.round(8 * rnd())]) } }
  for (let wy = wallTop + 18; wy < H - 20; wy += 42) for (let wx = x0 + 14; wx < x0 + w - 24; wx += 34) for (let y = wy; y < wy + 22; y++) for (let x = wx; x < wx + 16; x++) set(x, y, (x - wx === 7 || y - wy === 10) ? [230, 230, 225] : [255, 214, 120])
  for (let y = top - 30; y < top + 20; y++) for (let x = x0 + w - 30; x < x0 + w - 18; x++) if (y < top + 20 - (x - x0) * 0) set(x, y, y < top - 24 ? [248, 250, 252] : [110, 70, 60])
})
// snow on the ground
for (let y = H - 14; y < H; y++) for (let x = 0; x < W; x++) set(x, y, [240, 244, 250])
// falling snow
for (let n = 0; n < 420; n++) { const x = Math.round(rnd() * W), y = Math.round(rnd() * H), r = rnd() < 0.2 ? 2 : 1; for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) set(x + dx, y + dy, [255, 255, 255]) }
const raw = Buffer.alloc((W * 3 + 1) * H)
for (let y = 0; y < H; y++) { raw[y * (W * 3 + 1)] = 0; Buffer.from(px.buffer, y * W * 3, W * 3).copy(raw, y * (W * 3 + 1) + 1) }
const crcT = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0 })
const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcT[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0 }
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]) }
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(H, 4); ihdr[8] = 8; ihdr[9] = 2
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
fs.writeFileSync(process.argv[2], png)
console.log(png.length)
