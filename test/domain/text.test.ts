import assert from 'node:assert/strict';
import { InputIssue } from '../../src/domain/errors';
import { LIMITS, cleanText, readChoice, readDate, readText } from '../../src/domain/text';

describe('domain/text', () => {
  describe('cleanText', () => {
    it('removes control characters but keeps tab and newline', () => {
      assert.equal(cleanText('a\u0000b\u0007c\u001bd\u007fe'), 'abcde');
      assert.equal(cleanText('line 1\nline\t2'), 'line 1\nline\t2');
      assert.equal(cleanText('a\u000bb\u000cc'), 'abc');
      assert.equal(cleanText('Windows\r\nline'), 'Windows\r\nline');
    });

    it('removes bidi embeddings, overrides and isolates', () => {
      assert.equal(cleanText('invoice\u202Efdp.exe'), 'invoicefdp.exe');
      for (const c of [
        '\u202a',
        '\u202b',
        '\u202c',
        '\u202d',
        '\u202e',
        '\u2066',
        '\u2067',
        '\u2068',
        '\u2069',
      ]) {
        assert.equal(cleanText(`x${c}y`), 'xy', `U+${c.charCodeAt(0).toString(16)}`);
      }
    });

    it('normalizes to NFC and trims', () => {
      const decomposed = 'Cafe\u0301';
      const out = cleanText(`  ${decomposed}  `);
      assert.equal(out, 'Caf\u00e9');
      assert.equal(out.length, 4);
    });

    it('is NFC even when a removed character sat between a letter and its accent', () => {
      const out = cleanText('Cafe\u202e\u0301');
      assert.equal(out, out.normalize('NFC'));
      assert.equal(out, 'Caf\u00e9');
    });

    it('turns non-strings into the empty string', () => {
      for (const v of [undefined, null, 42, {}, ['a'], true]) assert.equal(cleanText(v), '');
    });

    it('keeps ordinary text, including emoji and Dutch ij, untouched', () => {
      assert.equal(cleanText('Webinar 🎉 ĳsselmeer – “quotes”'), 'Webinar 🎉 ĳsselmeer – “quotes”');
    });
  });

  describe('readText', () => {
    it('returns clean text and no issue', () => {
      const issues: InputIssue[] = [];
      assert.equal(readText(issues, 'title', '  Spring\u202e webinar ', 50), 'Spring webinar');
      assert.deepEqual(issues, []);
    });

    it('requires text by default; whitespace and zero-width-only count as empty', () => {
      for (const v of [undefined, null, '', '   ', '\u200b\u200c\u200d', '\ufeff\u2060 ']) {
        const issues: InputIssue[] = [];
        readText(issues, 'title', v, 50);
        assert.deepEqual(issues, [{ field: 'title', problem: 'required' }], JSON.stringify(v));
      }
    });

    it('optional text may be empty', () => {
      const issues: InputIssue[] = [];
      assert.equal(readText(issues, 'description', undefined, 50, { required: false }), '');
      assert.equal(readText(issues, 'description', '', 50, { required: false }), '');
      assert.deepEqual(issues, []);
    });

    it('refuses text longer than the limit and accepts exactly the limit', () => {
      const issues: InputIssue[] = [];
      readText(issues, 'title', 'x'.repeat(LIMITS.title), LIMITS.title);
      assert.deepEqual(issues, []);
      readText(issues, 'title', 'x'.repeat(LIMITS.title + 1), LIMITS.title);
      assert.deepEqual(issues, [
        { field: 'title', problem: 'tooLong', params: { max: LIMITS.title } },
      ]);
    });

    it('measures the length after cleaning', () => {
      const issues: InputIssue[] = [];
      readText(issues, 'title', `${'x'.repeat(10)}\u0000\u0000\u0000`, 10);
      assert.deepEqual(issues, []);
    });

    it('refuses a value that is not a string', () => {
      for (const v of [42, {}, ['a'], true]) {
        const issues: InputIssue[] = [];
        assert.equal(readText(issues, 'title', v, 50, { required: false }), '');
        assert.deepEqual(issues, [{ field: 'title', problem: 'invalid' }]);
      }
    });
  });

  describe('readDate', () => {
    const read = (v: unknown): { value: string; issues: InputIssue[] } => {
      const issues: InputIssue[] = [];
      return { value: readDate(issues, 'activityEnd', v), issues };
    };

    it('accepts real calendar days from 2000 to 2100', () => {
      for (const d of ['2026-02-28', '2024-02-29', '2000-01-01', '2100-12-31', '2026-12-31']) {
        assert.deepEqual(read(d), { value: d, issues: [] });
      }
      assert.equal(read(' 2026-03-01 ').value, '2026-03-01');
    });

    it('refuses days that do not exist', () => {
      for (const d of [
        '2026-02-30',
        '2026-02-29',
        '2100-02-29',
        '2026-13-01',
        '2026-00-10',
        '2026-04-31',
        '2026-01-00',
      ]) {
        assert.deepEqual(
          read(d),
          { value: '', issues: [{ field: 'activityEnd', problem: 'dateInvalid' }] },
          d,
        );
      }
    });

    it('refuses years out of range', () => {
      for (const d of ['1999-12-31', '2101-01-01', '0001-01-01']) {
        assert.deepEqual(read(d).issues, [{ field: 'activityEnd', problem: 'dateInvalid' }], d);
      }
    });

    it('refuses other spellings', () => {
      for (const d of ['2026-2-3', '03/01/2026', '2026-03-01T00:00:00Z', '20260301', 'tomorrow']) {
        assert.deepEqual(read(d).issues, [{ field: 'activityEnd', problem: 'dateInvalid' }], d);
      }
    });

    it('requires a value', () => {
      for (const v of [undefined, '', '  ', 20260301]) {
        assert.deepEqual(read(v), {
          value: '',
          issues: [{ field: 'activityEnd', problem: 'required' }],
        });
      }
    });
  });

  describe('readChoice', () => {
    const allowed = ['webinar', 'event'] as const;

    it('accepts an allowed value', () => {
      const issues: InputIssue[] = [];
      assert.equal(readChoice(issues, 'activityType', 'event', allowed), 'event');
      assert.deepEqual(issues, []);
    });

    it('refuses missing and unknown values differently', () => {
      const issues: InputIssue[] = [];
      assert.equal(readChoice(issues, 'activityType', undefined, allowed), undefined);
      assert.equal(readChoice(issues, 'activityType', '', allowed), undefined);
      assert.equal(readChoice(issues, 'activityType', 'Webinar', allowed), undefined);
      assert.equal(readChoice(issues, 'activityType', 'toString', allowed), undefined);
      assert.deepEqual(
        issues.map((i) => i.problem),
        ['required', 'required', 'invalid', 'invalid'],
      );
    });
  });
});
