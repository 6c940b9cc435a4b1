/**
 * A small PNG encoder and decoder on node's zlib: enough to draw the app icons and to check the
 * icons of an app package (size, colour type, pixels). 8-bit, non-interlaced images only.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGBA image, 4 bytes a pixel, rows top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  readonly colorType: number;
  readonly interlace: number;
}

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** The predictor of PNG filter type `filter` from left (a), up (b) and up-left (c) bytes. */
function predict(filter: number, a: number, b: number, c: number, row: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4:
      return paeth(a, b, c);
    default:
      throw new PngError(`unknown filter type ${filter} on row ${row}`);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4, 8))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes RGBA pixels as a PNG (colour type 6): same input, same bytes. Rows use filter 0 unless
 * `filters` gives the filter type (0-4) of each row, repeated as needed.
 */
export function encodePng(image: RgbaImage, filters: readonly number[] = [0]): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new PngError(`expected ${width * height * 4} bytes of RGBA pixels, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length];
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = y * stride + x;
      const a = x >= 4 ? pixels[at - 4] : 0;
      const b = y > 0 ? pixels[at - stride] : 0;
      const c = x >= 4 && y > 0 ? pixels[at - stride - 4] : 0;
      raw[y * (stride + 1) + 1 + x] = (pixels[at] - predict(filter, a, b, c, y)) & 0xff;
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) {
    throw new PngError('not a PNG file (bad signature)');
  }
  const out: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > png.length) throw new PngError(`truncated ${type} chunk`);
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(data, crc32(png.subarray(at + 4, at + 8))) !== png.readUInt32BE(at + 8 + length)) {
      throw new PngError(`bad CRC in ${type} chunk`);
    }
    out.push({ type, data });
    at += 12 + length;
    if (type === 'IEND') return out;
  }
  throw new PngError('no IEND chunk');
}

/** Reads the IHDR chunk (which a valid PNG has first). */
export function readPngHeader(png: Buffer): PngHeader {
  const first = chunks(png)[0];
  if (first?.type !== 'IHDR' || first.data.length !== 13) {
    throw new PngError('the first chunk is not IHDR');
  }
  return {
    width: first.data.readUInt32BE(0),
    height: first.data.readUInt32BE(4),
    bitDepth: first.data[8],
    colorType: first.data[9],
    interlace: first.data[12],
  };
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes an 8-bit non-interlaced PNG of any colour type to RGBA (palette and tRNS applied). */
export function decodePng(png: Buffer): RgbaImage {
  const all = chunks(png);
  const header = readPngHeader(png);
  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (channels === undefined) throw new PngError(`unknown colour type ${colorType}`);
  if (bitDepth !== 8) throw new PngError(`only 8-bit PNGs are supported, got ${bitDepth}-bit`);
  if (interlace !== 0) throw new PngError('interlaced PNGs are not supported');
  const palette = all.find((c) => c.type === 'PLTE')?.data;
  const trns = all.find((c) => c.type === 'tRNS')?.data;
  if (colorType === 3 && !palette) throw new PngError('palette image without PLTE chunk');

  const raw = inflateSync(Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new PngError('image data is too short');
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[out + x - channels] : 0;
      const b = y > 0 ? data[out - stride + x] : 0;
      const c = x >= channels && y > 0 ? data[out - stride + x - channels] : 0;
      data[out + x] = (line[x] + predict(filter, a, b, c, y)) & 0xff;
    }
  }

  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const d = i * 4;
    switch (colorType) {
      case 0:
        pixels.set([data[s], data[s], data[s], 255], d);
        if (trns && trns.length >= 2 && trns.readUInt16BE(0) === data[s]) pixels[d + 3] = 0;
        break;
      case 2:
        pixels.set([data[s], data[s + 1], data[s + 2], 255], d);
        if (
          trns &&
          trns.length >= 6 &&
          trns.readUInt16BE(0) === data[s] &&
          trns.readUInt16BE(2) === data[s + 1] &&
          trns.readUInt16BE(4) === data[s + 2]
        ) {
          pixels[d + 3] = 0;
        }
        break;
      case 3: {
        const p = data[s] * 3;
        if (!palette || p + 2 >= palette.length) throw new PngError('palette index out of range');
        pixels.set([palette[p], palette[p + 1], palette[p + 2], trns?.[data[s]] ?? 255], d);
        break;
      }
      case 4:
        pixels.set([data[s], data[s], data[s], data[s + 1]], d);
        break;
      default:
        pixels.set([data[s], data[s + 1], data[s + 2], data[s + 3]], d);
    }
  }
  return { width, height, pixels };
}
