/** Raw pixels as pdf.js hands out an image: 1 (grey), 3 (RGB) or 4 (RGBA) channels a pixel. */
export interface RawImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

const HEADER_BYTES = 54;

/**
 * Encodes raw pixels as a 24-bit BMP, the simplest format the OCR engine reads (no compression,
 * so no library): a 54-byte header, then rows of blue-green-red padded to 4 bytes, top row first.
 */
export function encodeBmp(image: RawImage): Buffer {
  const { data, width, height, channels } = image;
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const bmp = Buffer.alloc(HEADER_BYTES + rowBytes * height);
  bmp.write('BM', 0, 'ascii');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(HEADER_BYTES, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(width, 18);
  bmp.writeInt32LE(-height, 22); // negative: rows run top to bottom
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(rowBytes * height, 34);
  const grey = channels < 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * channels;
      const to = HEADER_BYTES + y * rowBytes + x * 3;
      bmp[to] = data[grey ? from : from + 2];
      bmp[to + 1] = data[grey ? from : from + 1];
      bmp[to + 2] = data[from];
    }
  }
  return bmp;
}
