/** The Teams app manifest checked against the bundled official schemas and the rules Teams adds. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { PackageError, type Json, type JsonObject } from './packageErrors';

/** What Teams shows of a bot command list (the schema of manifest v1.22+ allows more). */
const MAX_COMMANDS = 10;
const MAX_COMMAND_TITLE = 32;
const MAX_COMMAND_DESCRIPTION = 128;

const SCHEMA_ROOT = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
);

/** The bundled copy of a developer.microsoft.com schema URL, or a PackageError if none. */
export function bundledSchemaPath(url: unknown, where: string): string {
  const match =
    typeof url === 'string'
      ? /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/(teams\/[^?#]+\.json)$/i.exec(
          url,
        )
      : null;
  const file = match ? path.join(SCHEMA_ROOT, ...match[1].split('/')) : undefined;
  if (!file || !file.startsWith(SCHEMA_ROOT + path.sep) || !existsSync(file)) {
    throw new PackageError(
      `${where}: $schema ${JSON.stringify(url)} is not a Teams schema bundled with ` +
        '@microsoft/app-manifest (validation must work offline)',
    );
  }
  return file;
}

type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];

export function objectAt(value: Json | undefined): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/**
 * Escapes a `]` that closes no character class. Some official patterns have one (the
 * localization schemas' `activities.activityTypes\[\b(...)\b]`): JavaScript accepts it, but not
 * with the `u` flag ajv compiles patterns with. Escaped, it means the same.
 */
export function unicodeSafePattern(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    let out = '';
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') {
        out += ch + (pattern[i + 1] ?? '');
        i++;
      } else if (ch === ']' && !inClass) {
        out += '\\]';
      } else {
        if (ch === '[') inClass = true;
        else if (ch === ']') inClass = false;
        out += ch;
      }
    }
    return out;
  }
}

function unicodeSafeSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(unicodeSafeSchema);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]): [string, Json] => {
      if (key === 'pattern' && typeof value === 'string') return [key, unicodeSafePattern(value)];
      const properties = key === 'patternProperties' ? objectAt(value) : undefined;
      if (properties) {
        return [
          key,
          Object.fromEntries(
            Object.entries(properties).map(([p, v]) => [
              unicodeSafePattern(p),
              unicodeSafeSchema(v),
            ]),
          ),
        ];
      }
      return [key, unicodeSafeSchema(value)];
    }),
  );
}

const schemas = new Map<string, Schema>();

async function validateAgainst(document: Json, schemaFile: string): Promise<string[]> {
  let schema = schemas.get(schemaFile);
  if (!schema) {
    // The clean-up of escapes the library applies to the schemas it loads itself.
    const raw = readFileSync(schemaFile, 'utf8')
      .replace(/\\a/g, '\\u0007')
      .replace(/\\v/g, '\\u000b');
    schema = unicodeSafeSchema(JSON.parse(raw) as Json) as unknown as Schema;
    schemas.set(schemaFile, schema);
  }
  return AppManifestUtils.validateAgainstSchema(document as unknown as AppManifest, schema);
}

export function arrayAt(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

/** Resolves a localization key such as `bots[0].commandLists[1].commands[3].title`. */
function resolveKey(manifest: Json, key: string): Json | undefined {
  let at: Json | undefined = manifest;
  for (const part of key.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    at = objectAt(at)?.[m[1]];
    for (const index of m[2].match(/\d+/g) ?? []) {
      at = Array.isArray(at) ? at[Number(index)] : undefined;
    }
  }
  return at;
}

/** Schema validation plus the Teams rules a schema cannot state; returns the problems. */
export async function validateManifest(manifest: JsonObject): Promise<string[]> {
  const schemaFile = bundledSchemaPath(manifest.$schema, 'manifest.json');
  const problems = (await validateAgainst(manifest, schemaFile)).map((p) => `manifest.json${p}`);
  const schemaVersion = /\/v(\d+\.\d+)\//.exec(String(manifest.$schema))?.[1];
  if (manifest.manifestVersion !== schemaVersion) {
    problems.push(
      `manifest.json: manifestVersion ${JSON.stringify(manifest.manifestVersion)} does not match ` +
        `its $schema (v${schemaVersion})`,
    );
  }
  arrayAt(manifest.bots).forEach((bot, b) => {
    const botScopes = arrayAt(objectAt(bot)?.scopes);
    arrayAt(objectAt(bot)?.commandLists).forEach((list, l) => {
      const at = `manifest.json: bots[${b}].commandLists[${l}]`;
      for (const scope of arrayAt(objectAt(list)?.scopes)) {
        if (!botScopes.includes(scope)) problems.push(`${at} lists scope ${scope} the bot lacks`);
      }
      const commands = arrayAt(objectAt(list)?.commands);
      if (commands.length > MAX_COMMANDS) {
        problems.push(`${at} has ${commands.length} commands; Teams shows ${MAX_COMMANDS}`);
      }
      commands.forEach((command, c) => {
        const { title, description } = objectAt(command) ?? {};
        if (typeof title === 'string' && title.length > MAX_COMMAND_TITLE) {
          problems.push(`${at}.commands[${c}].title is longer than ${MAX_COMMAND_TITLE}`);
        }
        if (typeof description === 'string' && description.length > MAX_COMMAND_DESCRIPTION) {
          problems.push(
            `${at}.commands[${c}].description is longer than ${MAX_COMMAND_DESCRIPTION}`,
          );
        }
      });
    });
  });
  // Cards a message extension inserts reach the bot (Universal Actions) only through the same bot.
  const botIds = arrayAt(manifest.bots).map((bot) => objectAt(bot)?.botId);
  arrayAt(manifest.composeExtensions).forEach((extension, e) => {
    if (!botIds.includes(objectAt(extension)?.botId)) {
      problems.push(`manifest.json: composeExtensions[${e}].botId is not the bot's botId`);
    }
  });
  return problems;
}

/** Validates one localization file against its schema and checks its keys exist in the manifest. */
export async function validateLocalization(
  file: string,
  strings: JsonObject,
  manifest: JsonObject,
): Promise<string[]> {
  const schemaFile = bundledSchemaPath(strings.$schema, file);
  const problems = (await validateAgainst(strings, schemaFile)).map((p) => `${file}${p}`);
  const manifestSchema = String(manifest.$schema).replace(/[^/]+$/, '');
  if (!String(strings.$schema).startsWith(manifestSchema)) {
    problems.push(`${file}: $schema is not of the manifest's version (${manifestSchema})`);
  }
  for (const key of Object.keys(strings)) {
    if (key === '$schema' || key === 'localizationKeys') continue;
    if (typeof resolveKey(manifest, key) !== 'string') {
      problems.push(`${file}: "${key}" does not name a text of manifest.json`);
    }
  }
  return problems;
}
