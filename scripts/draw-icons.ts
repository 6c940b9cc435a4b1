/**
 * Writes the Teams app icons (testkit/icons.ts) as PNG files:
 *   appPackage/color.png    192×192, full colour on the brand colour
 *   appPackage/outline.png   32×32, white on transparent
 *
 *   node dist/scripts/draw-icons.js [outDir]   (default: appPackage/)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../testkit/icons';
import { encodePng } from '../testkit/png';

export function writeIcons(outDir: string): { color: string; outline: string } {
  const color = path.join(outDir, 'color.png');
  const outlinePath = path.join(outDir, 'outline.png');
  writeFileSync(color, encodePng(drawColorIcon()));
  writeFileSync(outlinePath, encodePng(drawOutlineIcon()));
  return { color, outline: outlinePath };
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'appPackage'));
  const written = writeIcons(outDir);
  console.log(`wrote ${written.color} and ${written.outline}`);
}
