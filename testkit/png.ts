/**
 * PNG images for the app icons and the checks of an app package (size, colour type, pixels):
 * encoded and decoded with pngjs, whatever a PNG's colour type, depth or interlacing.
 */
import { PNG } from 'pngjs';

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

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Encodes RGBA pixels as a PNG (colour type 6): same input, same bytes. `filterType` 0 to 4 filters
 * every row alike; -1 lets pngjs choose each row's filter.
 */
export function encodePng(image: RgbaImage, filterType = 0): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new PngError(`expected ${width * height * 4} bytes of RGBA pixels, got ${pixels.length}`);
  }
  const png = new PNG({ width, height, colorType: 6 });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png, { colorType: 6, inputColorType: 6, filterType });
}

/** Reads the IHDR chunk, which a valid PNG has first (length 13, right after the signature). */
export function readPngHeader(png: Buffer): PngHeader {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) {
    throw new PngError('not a PNG (no PNG signature)');
  }
  if (png.readUInt32BE(8) !== 13 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new PngError('the first chunk is not IHDR');
  }
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24],
    colorType: png[25],
    interlace: png[28],
  };
}

/** Decodes a PNG to RGBA (palette and transparency applied); a damaged PNG throws a PngError. */
export function decodePng(png: Buffer): RgbaImage {
  try {
    const { width, height, data } = PNG.sync.read(png);
    return { width, height, pixels: new Uint8Array(data) };
  } catch (e) {
    throw new PngError(e instanceof Error ? e.message : String(e));
  }
}
