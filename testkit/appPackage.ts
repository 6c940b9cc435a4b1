/**
 * Builds the Teams app package of one environment, offline:
 *
 *   node dist/scripts/package.js [envName]        (npm run package -- <env>, default: dev)
 *
 * (the builder; scripts/package.ts is its command line)
 *
 * 1. reads env/.env.<envName> and, if present, env/.env.<envName>.user (the git-ignored file with
 *    SECRET_ values); a variable set in the process environment wins over both, as with dotenv;
 * 2. fills every ${{VAR}} in appPackage/manifest.json and its localization files, and fails naming
 *    each variable that is missing or empty;
 * 3. validates the manifest and the localization files against the official JSON schemas bundled
 *    in @microsoft/app-manifest (never fetched), plus the Teams rules the schema does not hold;
 * 4. checks the icons: color 192×192, outline 32×32 white on transparent;
 * 5. writes appPackage/build/appPackage.<envName>.zip and the filled manifest.<envName>.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodePng, readPngHeader } from './png';
import { writeZip, type ZipEntry } from './zip';
import {
  MissingVariableError,
  PackageError,
  type Json,
  type JsonObject,
  type Variables,
} from './packageErrors';
import { arrayAt, objectAt, validateLocalization, validateManifest } from './manifestSchema';

export { MissingVariableError, PackageError, type Json, type JsonObject } from './packageErrors';
export { unicodeSafePattern, validateLocalization, validateManifest } from './manifestSchema';

export interface PackageOptions {
  /** Folder with manifest.json, its localization files and icons (default: <repo>/appPackage). */
  readonly appPackageDir?: string;
  /** Folder with the .env.<name> files (default: <repo>/env). */
  readonly envDir?: string;
  /** Where the zip and the filled manifest go (default: <appPackageDir>/build). */
  readonly outDir?: string;
  /** Variables that win over the env files; the command line passes process.env (default: none). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

export interface PackageResult {
  readonly zipPath: string;
  readonly manifestPath: string;
  readonly manifest: JsonObject;
  /** Zip entry names, in archive order. */
  readonly entries: readonly string[];
  /** The variables the placeholders used, by name. */
  readonly used: readonly string[];
}

const REPO = path.resolve(__dirname, '..', '..');
const VARIABLE = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

// ---------------------------------------------------------------------------------------------
// Environment files

/** Parses a dotenv file: KEY=VALUE lines, # comments, optional single or double quotes. */
export function parseEnvFile(text: string, file = '.env'): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new PackageError(`${file}:${index + 1}: expected KEY=VALUE, got "${line}"`);
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[match[1]] = value;
  });
  return out;
}

/** The variables of one environment: .env.<name> < .env.<name>.user < processEnv. */
export function loadEnvironment(
  envDir: string,
  envName: string,
  processEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  if (!ENV_NAME.test(envName)) throw new PackageError(`invalid environment name "${envName}"`);
  const file = path.join(envDir, `.env.${envName}`);
  if (!existsSync(file)) {
    const known = existsSync(envDir)
      ? readdirSync(envDir)
          .filter((f) => /^\.env\.[^.]+$/.test(f))
          .map((f) => f.slice(5))
      : [];
    throw new PackageError(
      `no ${path.relative(process.cwd(), file) || file} (environments: ${known.join(', ') || 'none'})`,
    );
  }
  const vars: Record<string, string> = { TEAMSFX_ENV: envName };
  Object.assign(vars, parseEnvFile(readFileSync(file, 'utf8'), file));
  const user = `${file}.user`;
  if (existsSync(user)) Object.assign(vars, parseEnvFile(readFileSync(user, 'utf8'), user));
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined && value !== '') vars[key] = value;
  }
  return vars;
}

/**
 * Replaces ${{VAR}} in every string of a JSON value (never in keys). A variable that is missing
 * or empty fails the whole fill with MissingVariableError naming all of them.
 */
export function fillPlaceholders<T extends Json>(
  value: T,
  vars: Variables,
  where: string,
  used: Set<string> = new Set(),
  hint?: string,
): T {
  const missing = new Set<string>();
  const fill = (v: Json): Json => {
    if (typeof v === 'string') {
      const filled = v.replace(VARIABLE, (_all, name: string) => {
        const found = vars[name];
        if (found === undefined || found.trim() === '') {
          missing.add(name);
          return '';
        }
        used.add(name);
        return found;
      });
      if (filled.includes('${{'))
        throw new PackageError(`${where}: malformed placeholder in "${v}"`);
      return filled;
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, fill(item)]));
    }
    return v;
  };
  const out = fill(value) as T;
  if (missing.size > 0) throw new MissingVariableError([...missing].sort(), where, hint);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Icons

/** Checks one icon; `outline` also requires white on transparent. Returns the problems. */
export function checkIcon(png: Buffer, file: string, size: number, outline: boolean): string[] {
  let header;
  try {
    header = readPngHeader(png);
  } catch (e) {
    return [`${file}: ${(e as Error).message}`];
  }
  if (header.width !== size || header.height !== size) {
    return [`${file}: must be ${size}×${size} pixels, is ${header.width}×${header.height}`];
  }
  if (!outline) return [];
  let image;
  try {
    image = decodePng(png);
  } catch (e) {
    return [`${file}: ${(e as Error).message}`];
  }
  let transparent = 0;
  let coloured = 0;
  const { pixels } = image;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) transparent++;
    else if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) coloured++;
  }
  const problems: string[] = [];
  if (coloured > 0) problems.push(`${file}: ${coloured} visible pixels are not white`);
  if (transparent === 0) problems.push(`${file}: has no transparent background`);
  if (transparent === size * size) problems.push(`${file}: is fully transparent`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The package

function readJson(file: string): JsonObject {
  let parsed: Json;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Json;
  } catch (e) {
    throw new PackageError(`${file}: ${(e as Error).message}`);
  }
  const object = objectAt(parsed);
  if (!object) throw new PackageError(`${file}: expected a JSON object`);
  return object;
}

/** A file the manifest names, relative to the package folder and inside it. */
function packageFile(appPackageDir: string, relative: Json | undefined, what: string): string {
  if (typeof relative !== 'string' || !relative) {
    throw new PackageError(`manifest.json: ${what} is not set`);
  }
  const normal = path.posix.normalize(relative.replace(/\\/g, '/'));
  if (normal.startsWith('../') || path.posix.isAbsolute(normal)) {
    throw new PackageError(`manifest.json: ${what} "${relative}" is outside the app package`);
  }
  if (!existsSync(path.join(appPackageDir, normal))) {
    throw new PackageError(`manifest.json: ${what} "${relative}" does not exist`);
  }
  return normal;
}

const json = (value: Json): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export async function buildAppPackage(
  envName: string,
  options: PackageOptions = {},
): Promise<PackageResult> {
  const appPackageDir = options.appPackageDir ?? path.join(REPO, 'appPackage');
  const envDir = options.envDir ?? path.join(REPO, 'env');
  const outDir = options.outDir ?? path.join(appPackageDir, 'build');
  const vars = loadEnvironment(envDir, envName, options.processEnv);
  const used = new Set<string>();
  const envFile = path.relative(process.cwd(), path.join(envDir, `.env.${envName}`));
  const hint =
    `set them in ${envFile} or ${envFile}.user, or provision the environment ` +
    `(atk provision --env ${envName})`;

  const manifest = fillPlaceholders(
    readJson(path.join(appPackageDir, 'manifest.json')),
    vars,
    'manifest.json',
    used,
    hint,
  );
  const problems = await validateManifest(manifest);

  const entries: ZipEntry[] = [{ name: 'manifest.json', data: json(manifest) }];
  const localization = objectAt(manifest.localizationInfo);
  const languageFiles = [
    localization?.defaultLanguageFile,
    ...arrayAt(localization?.additionalLanguages).map((l) => objectAt(l)?.file),
  ].filter((f) => f !== undefined);
  for (const relative of languageFiles) {
    const name = packageFile(appPackageDir, relative, `localization file`);
    const strings = fillPlaceholders(
      readJson(path.join(appPackageDir, name)),
      vars,
      name,
      used,
      hint,
    );
    problems.push(...(await validateLocalization(name, strings, manifest)));
    entries.push({ name, data: json(strings) });
  }

  const icons = objectAt(manifest.icons);
  for (const [key, size] of [
    ['color', COLOR_ICON_SIZE],
    ['outline', OUTLINE_ICON_SIZE],
  ] as const) {
    const name = packageFile(appPackageDir, icons?.[key], `icons.${key}`);
    const png = readFileSync(path.join(appPackageDir, name));
    problems.push(...checkIcon(png, name, size, key === 'outline'));
    entries.push({ name, data: png });
  }

  if (problems.length > 0) {
    throw new PackageError(
      `the app package of "${envName}" is not valid:\n  ${problems.join('\n  ')}`,
    );
  }

  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${envName}.zip`);
  const manifestPath = path.join(outDir, `manifest.${envName}.json`);
  writeFileSync(zipPath, await writeZip(entries));
  writeFileSync(manifestPath, json(manifest));
  return {
    zipPath,
    manifestPath,
    manifest,
    entries: entries.map((e) => e.name),
    used: [...used].sort(),
  };
}
