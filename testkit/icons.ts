/**
 * The Teams app icons of Co-op Claims: a receipt with a gold coin carrying a check mark, 192×192 in
 * full colour on the brand colour and 32×32 white on transparent. Shapes are signed distance
 * functions rasterised with one-pixel anti-aliasing: no native dependency, the same pixels each time.
 */
import type { RgbaImage } from './png';

/** Signed distance in pixels from (x, y) to a shape's edge: negative inside. */
type Shape = (x: number, y: number) => number;
type Rgb = readonly [number, number, number];
interface Point {
  readonly x: number;
  readonly y: number;
}

export const BRAND: Rgb = [0x0e, 0x6e, 0x5c];
const BRAND_DARK: Rgb = [0x09, 0x52, 0x44];
const PAPER: Rgb = [0xff, 0xff, 0xff];
const INK: Rgb = [0xa9, 0xd6, 0xcb];
const GOLD: Rgb = [0xf6, 0xb9, 0x2f];
const GOLD_DARK: Rgb = [0xd4, 0x8f, 0x12];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;

/** A polyline with round caps and joins, `width` pixels wide. */
function stroke(points: readonly Point[], width: number): Shape {
  return (x, y) => {
    let d = Infinity;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      const ex = b.x - a.x;
      const ey = b.y - a.y;
      const t = clamp(((x - a.x) * ex + (y - a.y) * ey) / (ex * ex + ey * ey), 0, 1);
      d = Math.min(d, Math.hypot(x - a.x - ex * t, y - a.y - ey * t));
    }
    return d - width / 2;
  };
}

/** A simple closed polygon (exact signed distance, after Inigo Quilez). */
function polygon(points: readonly Point[]): Shape {
  return (x, y) => {
    let d = (x - points[0].x) ** 2 + (y - points[0].y) ** 2;
    let sign = 1;
    for (let i = 0, j = points.length - 1; i < points.length; j = i, i++) {
      const p = points[i];
      const q = points[j];
      const ex = q.x - p.x;
      const ey = q.y - p.y;
      const wx = x - p.x;
      const wy = y - p.y;
      const t = clamp((wx * ex + wy * ey) / (ex * ex + ey * ey), 0, 1);
      d = Math.min(d, (wx - ex * t) ** 2 + (wy - ey * t) ** 2);
      const above = y >= p.y;
      const below = y < q.y;
      const left = ex * wy > ey * wx;
      if ((above && below && left) || (!above && !below && !left)) sign = -sign;
    }
    return sign * Math.sqrt(d);
  };
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const subtract =
  (shape: Shape, hole: Shape): Shape =>
  (x, y) =>
    Math.max(shape(x, y), -hole(x, y));
const outline =
  (shape: Shape, width: number): Shape =>
  (x, y) =>
    Math.abs(shape(x, y)) - width / 2;
const moved =
  (shape: Shape, dx: number, dy: number): Shape =>
  (x, y) =>
    shape(x - dx, y - dy);

/**
 * A till receipt: rounded top corners, straight sides, and a torn zig-zag bottom edge whose
 * teeth point down to `bottom`.
 */
function receipt(
  left: number,
  top: number,
  right: number,
  bottom: number,
  radius: number,
  teeth: number,
  depth: number,
): Shape {
  const points: Point[] = [];
  const arc = (cx: number, cy: number, from: number, to: number): void => {
    for (let i = 0; i <= 8; i++) {
      const a = from + ((to - from) * i) / 8;
      points.push({ x: cx + radius * Math.cos(a), y: cy + radius * Math.sin(a) });
    }
  };
  arc(left + radius, top + radius, Math.PI, 1.5 * Math.PI);
  arc(right - radius, top + radius, 1.5 * Math.PI, 2 * Math.PI);
  const tooth = (right - left) / teeth;
  for (let i = 0; i <= teeth * 2; i++) {
    points.push({ x: right - (i * tooth) / 2, y: i % 2 === 0 ? bottom - depth : bottom });
  }
  return polygon(points);
}

function canvas(size: number): RgbaImage {
  return { width: size, height: size, pixels: new Uint8Array(size * size * 4) };
}

/** Paints `shape` in `color` over the image (straight alpha "source over"). */
function paint(image: RgbaImage, shape: Shape, color: Rgb, opacity = 1): void {
  const { width, height, pixels } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = clamp(0.5 - shape(x + 0.5, y + 0.5), 0, 1) * opacity;
      if (a <= 0) continue;
      const i = (y * width + x) * 4;
      const below = pixels[i + 3] / 255;
      const out = a + below * (1 - a);
      for (let c = 0; c < 3; c++) {
        pixels[i + c] = Math.round((color[c] * a + pixels[i + c] * below * (1 - a)) / out);
      }
      pixels[i + 3] = Math.round(out * 255);
    }
  }
}

/** 192×192: a white receipt and a gold coin with a check mark on the brand colour. */
export function drawColorIcon(): RgbaImage {
  const image = canvas(192);
  const dx = -10;
  const dy = -3;
  const paper = moved(receipt(52, 38, 124, 152, 9, 6, 9), dx, dy);
  const lines = moved(
    union(
      stroke(
        [
          { x: 65, y: 62 },
          { x: 111, y: 62 },
        ],
        7,
      ),
      stroke(
        [
          { x: 65, y: 80 },
          { x: 111, y: 80 },
        ],
        7,
      ),
      stroke(
        [
          { x: 65, y: 98 },
          { x: 93, y: 98 },
        ],
        7,
      ),
    ),
    dx,
    dy,
  );
  const coin = moved(circle(128, 128, 34), dx, dy);
  const gap = moved(circle(128, 128, 41), dx, dy);
  const check = moved(
    stroke(
      [
        { x: 113, y: 129 },
        { x: 124, y: 140 },
        { x: 144, y: 117 },
      ],
      10,
    ),
    dx,
    dy,
  );

  paint(image, () => -1, BRAND);
  paint(image, subtract(moved(paper, 3, 5), gap), BRAND_DARK, 0.55);
  paint(image, subtract(paper, gap), PAPER);
  paint(image, subtract(lines, gap), INK);
  paint(image, moved(coin, 2, 4), BRAND_DARK, 0.55);
  paint(image, coin, GOLD);
  paint(image, outline(moved(circle(128, 128, 26.5), dx, dy), 3), GOLD_DARK);
  paint(image, check, BRAND);
  return image;
}

/** 32×32: the same receipt and coin as white strokes on transparent. */
export function drawOutlineIcon(): RgbaImage {
  const image = canvas(32);
  const paper = outline(receipt(5, 3, 21, 28, 2.5, 3, 3), 2);
  const lines = union(
    stroke(
      [
        { x: 9.5, y: 9 },
        { x: 16.5, y: 9 },
      ],
      2,
    ),
    stroke(
      [
        { x: 9.5, y: 13 },
        { x: 16.5, y: 13 },
      ],
      2,
    ),
  );
  const coin = circle(22.5, 22.5, 7.5);
  const gap = circle(22.5, 22.5, 9.5);
  const check = stroke(
    [
      { x: 19, y: 22.75 },
      { x: 21.5, y: 25.25 },
      { x: 26, y: 20.25 },
    ],
    2,
  );
  const mark = union(subtract(union(paper, lines), gap), subtract(coin, check));
  paint(image, mark, [255, 255, 255]);
  return image;
}
