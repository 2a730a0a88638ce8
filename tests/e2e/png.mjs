// A minimal PNG reader (8-bit RGB/RGBA, non-interlaced, as Chromium and stb_image_write produce)
// and image statistics, so tests can check that a screenshot is not blank without extra packages.
import zlib from 'node:zlib';
import fs from 'node:fs';

export function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8, width = 0, height = 0, colorType = 0, bitDepth = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      bitDepth = data[8]; colorType = data[9];
      if (data[12] !== 0) throw new Error('interlaced PNG not supported');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6)) throw new Error(`unsupported PNG (depth ${bitDepth}, type ${colorType})`);
  const bpp = colorType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  const prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    raw.copy(cur, 0, y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let v = cur[x];
      if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c); }
      cur[x] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = cur[x * bpp]; out[(y * width + x) * 4 + 1] = cur[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = cur[x * bpp + 2]; out[(y * width + x) * 4 + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    cur.copy(prev);
  }
  return { width, height, pixels: out };
}

/// Luma variance and the number of distinct colours (sampled): a blank or single-colour image
/// has variance ~0 and very few colours.
export function imageStats(img) {
  let n = 0, sum = 0, sum2 = 0;
  const colours = new Set();
  for (let i = 0; i < img.pixels.length; i += 4 * 7) {
    const l = 0.299 * img.pixels[i] + 0.587 * img.pixels[i + 1] + 0.114 * img.pixels[i + 2];
    sum += l; sum2 += l * l; n++;
    if (colours.size < 5000) colours.add((img.pixels[i] << 16) | (img.pixels[i + 1] << 8) | img.pixels[i + 2]);
  }
  const mean = sum / n;
  return { mean, variance: sum2 / n - mean * mean, colours: colours.size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // CLI: node png.mjs FILE -> prints stats; exit 1 if the image looks blank.
  const img = decodePng(fs.readFileSync(process.argv[2]));
  const s = imageStats(img);
  console.log(`${process.argv[2]}: ${img.width}x${img.height}, luma variance ${s.variance.toFixed(1)}, ${s.colours} colours`);
  process.exit(s.variance > 20 && s.colours > 8 ? 0 : 1);
}
