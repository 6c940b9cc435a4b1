import assert from 'node:assert/strict';
import { isLegacyOffice, sniffContentType } from '../../src/store/fileTypes';
import { sanitizeFileName } from '../../src/store/fileNames';

const bytes = (...values: (number | string)[]): Uint8Array =>
  Buffer.concat(
    values.map((value) =>
      typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]),
    ),
  );

/** A zip whose first local file header names `entryName`. */
function zipStartingWith(entryName: string): Uint8Array {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entryName.length, 26);
  return Buffer.concat([header, Buffer.from(entryName, 'latin1'), Buffer.alloc(64, 0x41)]);
}

const OLE = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0);

describe('sniffContentType', () => {
  it('recognises PDF, PNG, JPEG and GIF by their leading bytes, whatever the name', () => {
    assert.equal(sniffContentType(bytes('%PDF-1.7\n'), 'invoice.pdf'), 'application/pdf');
    assert.equal(sniffContentType(bytes('%PDF-1.4\n'), 'scan'), 'application/pdf');
    assert.equal(
      sniffContentType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0), 'a.png'),
      'image/png',
    );
    assert.equal(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0), 'photo.JPG'), 'image/jpeg');
    assert.equal(sniffContentType(bytes('GIF89a', 1, 0), 'x.gif'), 'image/gif');
    assert.equal(sniffContentType(bytes('GIF87a', 1, 0), 'x.gif'), 'image/gif');
  });

  it('accepts Office OOXML zips only with an Office extension and an OOXML first entry', () => {
    const docx = zipStartingWith('[Content_Types].xml');
    assert.equal(
      sniffContentType(docx, 'report.docx'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    assert.equal(
      sniffContentType(zipStartingWith('xl/workbook.xml'), 'Budget.XLSX'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.equal(
      sniffContentType(zipStartingWith('_rels/.rels'), 'deck.pptx'),
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    );
    assert.equal(sniffContentType(docx, 'archive.zip'), undefined);
    assert.equal(sniffContentType(docx, 'report.pdf'), undefined);
    assert.equal(sniffContentType(zipStartingWith('payload.exe'), 'report.docx'), undefined);
  });

  it('refuses legacy OLE Office files (macros), and accepts password-protected OOXML', () => {
    for (const name of ['old.doc', 'old.xls', 'old.ppt', 'mail.msg', 'macro.xlsm']) {
      assert.equal(isLegacyOffice(OLE, name), true, name);
      assert.equal(sniffContentType(OLE, name), undefined, name);
    }
    assert.equal(isLegacyOffice(OLE, 'locked.xlsx'), false);
    assert.equal(
      sniffContentType(OLE, 'locked.xlsx'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.equal(isLegacyOffice(bytes(0x25, 0x50, 0x44, 0x46, 0x2d), 'old.doc'), false);
  });

  it('accepts UTF-8 text without NUL bytes as .csv or .txt only', () => {
    const csv = Buffer.from('Datum;Bedrag;Omschrijving\n2026-01-05;1250,00;Café-webinar\n');
    assert.equal(sniffContentType(csv, 'leads.csv'), 'text/csv; charset=utf-8');
    assert.equal(sniffContentType(csv, 'notes.txt'), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(csv, 'leads.html'), undefined);
    assert.equal(sniffContentType(csv, 'leads'), undefined);
    assert.equal(
      sniffContentType(bytes(0xef, 0xbb, 0xbf, 'a,b\n'), 'bom.csv'),
      'text/csv; charset=utf-8',
    );
  });

  it('tolerates a multi-byte character cut off at the end of the head', () => {
    const cut = Buffer.from('prijs €').subarray(0, -1); // the euro sign is 3 bytes; keep 2
    assert.equal(sniffContentType(cut, 'a.txt'), 'text/plain; charset=utf-8');
  });

  it('refuses text with NUL bytes, invalid UTF-8, markup or a shebang', () => {
    assert.equal(sniffContentType(bytes('a,b', 0, 'c'), 'x.csv'), undefined);
    assert.equal(sniffContentType(bytes('a,b', 0xff, 0xfe, 'c'), 'x.csv'), undefined);
    assert.equal(sniffContentType(bytes('<!DOCTYPE html><p>hi'), 'x.txt'), undefined);
    assert.equal(sniffContentType(bytes('  <script>alert(1)</script>'), 'x.txt'), undefined);
    assert.equal(sniffContentType(bytes('<svg onload=alert(1)>'), 'x.csv'), undefined);
    assert.equal(sniffContentType(bytes('#!/bin/sh\nrm -rf /\n'), 'x.txt'), undefined);
  });

  it('refuses executables whatever their name', () => {
    const elf = bytes(0x7f, 'ELF', 2, 1, 1, 0, 0, 0);
    const windowsExe = bytes('MZ', 0x90, 0, 3, 0, 0, 0, 4, 0);
    const machO = bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1);
    for (const name of ['invoice.pdf', 'a.txt', 'a.csv', 'a.docx', 'a.doc']) {
      assert.equal(sniffContentType(elf, name), undefined, `ELF as ${name}`);
      assert.equal(sniffContentType(windowsExe, name), undefined, `MZ as ${name}`);
      assert.equal(sniffContentType(machO, name), undefined, `Mach-O as ${name}`);
    }
  });

  it('refuses empty and unknown content', () => {
    assert.equal(sniffContentType(new Uint8Array(0), 'a.txt'), undefined);
    assert.equal(sniffContentType(bytes(0, 1, 2, 3, 4), 'a.pdf'), undefined);
    assert.equal(sniffContentType(bytes('%PD'), 'a.pdf'), undefined);
  });
});

describe('sanitizeFileName', () => {
  it('keeps ordinary names, including accents and spaces', () => {
    assert.equal(sanitizeFileName('Invoice 2026-01 (final).pdf'), 'Invoice 2026-01 (final).pdf');
    assert.equal(sanitizeFileName('Factuur café_Q1.xlsx'), 'Factuur café_Q1.xlsx');
  });

  it('keeps only the last path segment', () => {
    assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitizeFileName('..\\..\\Windows\\System32\\evil.pdf'), 'evil.pdf');
    assert.equal(sanitizeFileName('C:\\Users\\me\\Desktop\\poe.png'), 'poe.png');
    assert.equal(sanitizeFileName('/absolute/path/'), 'file');
  });

  it('never returns dot names, hidden files or an empty name', () => {
    for (const name of ['', '.', '..', '...', '   ', '///', '\\', '\u0000', '***', '__']) {
      assert.equal(sanitizeFileName(name), 'file', JSON.stringify(name));
    }
    assert.equal(sanitizeFileName('.htaccess'), 'htaccess');
    assert.equal(sanitizeFileName('report.pdf. . '), 'report.pdf');
  });

  it('replaces unsafe characters with one underscore', () => {
    assert.equal(sanitizeFileName('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt');
    assert.equal(sanitizeFileName('x%2e%2e%2fy.pdf'), 'x_2e_2e_2fy.pdf');
    assert.equal(sanitizeFileName('tab\there\r\nnull\u0000.pdf'), 'tab_here_null_.pdf');
    assert.equal(sanitizeFileName('invoice\u202Efdp.exe'), 'invoice_fdp.exe');
  });

  it('defuses Windows device names', () => {
    assert.equal(sanitizeFileName('CON'), '_CON');
    assert.equal(sanitizeFileName('nul.txt'), '_nul.txt');
    assert.equal(sanitizeFileName('console.txt'), 'console.txt');
  });

  it('cuts long names to 120 characters and keeps the extension', () => {
    const result = sanitizeFileName(`${'a'.repeat(300)}.pdf`);
    assert.equal(result.length, 120);
    assert.ok(result.endsWith('aaa.pdf'));
    const accented = sanitizeFileName(`${'é'.repeat(200)}.docx`);
    assert.equal(Array.from(accented).length, 120);
    assert.ok(accented.endsWith('é.docx'));
    assert.equal(Array.from(sanitizeFileName('b'.repeat(500))).length, 120);
  });
});
