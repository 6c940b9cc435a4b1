/** What a stored file is, judged by its first bytes and name: the types Co-op Claims accepts. */

const PDF = 'application/pdf';
const PNG = 'image/png';
const JPEG = 'image/jpeg';
const GIF = 'image/gif';

const OOXML_TYPES_BY_EXTENSION: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

const TEXT_TYPES_BY_EXTENSION: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

const EXECUTABLE_SIGNATURES: readonly number[][] = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4d, 0x5a], // MZ: Windows PE / DOS
  [0xfe, 0xed, 0xfa, 0xce], // Mach-O
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O fat binary / Java class
  [0x23, 0x21], // #! script
];

const GIF87A = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const GIF89A = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
const ZIP_LOCAL_FILE_HEADER = [0x50, 0x4b, 0x03, 0x04];
const OLE_COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Every part of an OOXML package lives in one of these; a zip starting elsewhere is no Office file. */
const OOXML_FIRST_ENTRY_PREFIXES = [
  '[Content_Types].xml',
  '_rels/',
  'docProps/',
  'word/',
  'xl/',
  'ppt/',
  'customXml/',
];

/** Text that a browser could run as markup or script if it ever ignored the content type. */
const ACTIVE_TEXT_START = /^\s*<(?:!doctype|html|script|svg|\?xml|\?php)/i;

function startsWith(head: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (head.length < offset + signature.length) return false;
  return signature.every((byte, index) => head[offset + index] === byte);
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function firstZipEntryName(head: Uint8Array): string | undefined {
  if (head.length < 30) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const nameLength = view.getUint16(26, true);
  if (head.length < 30 + nameLength) return undefined;
  return new TextDecoder('latin1').decode(head.subarray(30, 30 + nameLength));
}

/** Valid UTF-8 without NUL bytes; a multi-byte character cut off at the end of `head` is fine. */
function decodeUtf8Text(head: Uint8Array): string | undefined {
  if (head.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return undefined;
  }
}

/**
 * A legacy Office file (.doc, .xls, .ppt or any other OLE compound file that is not a
 * password-protected .docx/.xlsx/.pptx): refused, since these formats carry macros that run when
 * a reviewer opens them; the user is asked for a PDF or the current format.
 */
export function isLegacyOffice(head: Uint8Array, fileName: string): boolean {
  return startsWith(head, OLE_COMPOUND_FILE) && !OOXML_TYPES_BY_EXTENSION[extensionOf(fileName)];
}

/**
 * The content type of an allowed file, judged by its leading bytes (a few KB) and, where the bytes
 * alone are ambiguous (zip, OLE, text), by the name's extension. undefined = not allowed.
 */
export function sniffContentType(head: Uint8Array, fileName: string): string | undefined {
  if (head.length === 0) return undefined;
  if (EXECUTABLE_SIGNATURES.some((signature) => startsWith(head, signature))) return undefined;

  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF; // %PDF-
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(head, GIF87A) || startsWith(head, GIF89A)) return GIF;

  const extension = extensionOf(fileName);
  if (startsWith(head, ZIP_LOCAL_FILE_HEADER)) {
    const ooxmlType = OOXML_TYPES_BY_EXTENSION[extension];
    const entryName = firstZipEntryName(head);
    const looksLikeOoxml =
      entryName !== undefined &&
      OOXML_FIRST_ENTRY_PREFIXES.some((prefix) => entryName.startsWith(prefix));
    return ooxmlType && looksLikeOoxml ? ooxmlType : undefined;
  }
  if (startsWith(head, OLE_COMPOUND_FILE)) {
    // Password-protected .docx/.xlsx/.pptx files are OLE containers too; see isLegacyOffice.
    return OOXML_TYPES_BY_EXTENSION[extension];
  }

  const textType = TEXT_TYPES_BY_EXTENSION[extension];
  if (!textType) return undefined;
  const text = decodeUtf8Text(head);
  if (text === undefined) return undefined;
  return ACTIVE_TEXT_START.test(text.replace(/^\uFEFF/, '')) ? undefined : textType;
}
