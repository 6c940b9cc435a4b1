const MAX_FILE_NAME_LENGTH = 120;
const MAX_KEPT_EXTENSION_LENGTH = 16;
const FALLBACK_FILE_NAME = 'file';
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)/i;

/**
 * A file name safe to show and to use in a blob name: the last path segment only, letters,
 * digits, spaces and `._-()` (anything else becomes `_`), no leading dots, at most 120 characters
 * (the extension is kept), never empty.
 */
export function sanitizeFileName(name: string): string {
  const lastSegment = name.split(/[\\/]/).pop() ?? '';
  let safe = lastSegment
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._\-() ]+/gu, '_')
    .replace(/_{2,}/g, '_')
    .replace(/ {2,}/g, ' ')
    .replace(/^[. ]+/, '')
    .replace(/[. ]+$/, '');
  if (WINDOWS_DEVICE_NAME.test(safe)) safe = `_${safe}`;

  const characters = Array.from(safe);
  if (characters.length > MAX_FILE_NAME_LENGTH) {
    const dot = safe.lastIndexOf('.');
    const extension =
      dot > 0 && safe.length - dot <= MAX_KEPT_EXTENSION_LENGTH ? safe.slice(dot) : '';
    const stem = Array.from(safe.slice(0, safe.length - extension.length))
      .slice(0, MAX_FILE_NAME_LENGTH - Array.from(extension).length)
      .join('')
      .replace(/[. ]+$/, '');
    safe = stem + extension;
  }

  return /^[_ ]*$/.test(safe) ? FALLBACK_FILE_NAME : safe;
}
