import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors';
import {
  MAX_MAJOR_UNITS,
  add,
  formatAmountInput,
  formatMoney,
  isCurrency,
  minorDigits,
  money,
  parseAmount,
  parsePositiveAmount,
  subtract,
  zero,
} from '../../src/domain/money';

/** Asserts an INVALID_INPUT AppError with exactly one issue of `problem` on `field`. */
function refuses(fn: () => unknown, problem: string, field = 'amount'): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_INPUT');
    assert.equal(e.issues.length, 1);
    assert.equal(e.issues[0].field, field);
    assert.equal(e.issues[0].problem, problem);
    return true;
  });
}

describe('domain/money', () => {
  describe('parseAmount in en-US', () => {
    const cases: [string, string, number][] = [
      ['1,234.56', 'USD', 123456],
      ['1234.56', 'USD', 123456],
      ['1500', 'USD', 150000],
      ['0.5', 'USD', 50],
      ['0.05', 'USD', 5],
      ['1,234,567.89', 'USD', 123456789],
      ['  12.50 ', 'USD', 1250],
      ['1 234.56', 'USD', 123456],
      ['1\u00a0234.56', 'USD', 123456],
      ['0', 'USD', 0],
      ['1500', 'JPY', 1500],
      ['1.234', 'KWD', 1234],
      [String(MAX_MAJOR_UNITS), 'USD', MAX_MAJOR_UNITS * 100],
    ];
    for (const [text, currency, minor] of cases) {
      it(`reads ${JSON.stringify(text)} ${currency} as ${minor} minor units`, () => {
        assert.deepEqual(parseAmount(text, 'en-US', currency), { minor, currency });
      });
    }
  });

  describe('parseAmount in nl-NL', () => {
    const cases: [string, number][] = [
      ['1.234,56', 123456],
      ['1234,56', 123456],
      ['1500.00', 150000],
      ['1500.5', 150050],
      ['1500', 150000],
      ['1.234.567,89', 123456789],
      ['1 234,56', 123456],
      ['0,99', 99],
    ];
    for (const [text, minor] of cases) {
      it(`reads ${JSON.stringify(text)} as ${minor} euro cents`, () => {
        assert.deepEqual(parseAmount(text, 'nl-NL', 'EUR'), { minor, currency: 'EUR' });
      });
    }

    it('reads 1.500 as fifteen hundred (a group separator), not one and a half', () => {
      assert.equal(parseAmount('1.500', 'nl-NL', 'EUR').minor, 150000);
    });

    it('refuses 1,234 in nl-NL: three decimals for EUR', () => {
      refuses(() => parseAmount('1,234', 'nl-NL', 'EUR'), 'amountDecimals');
    });
  });

  describe('parseAmount refusals', () => {
    const refusals: [string, string, string, string][] = [
      ['', 'en-US', 'USD', 'required'],
      ['   ', 'en-US', 'USD', 'required'],
      ['-5', 'en-US', 'USD', 'amountNegative'],
      ['-0', 'en-US', 'USD', 'amountNegative'],
      ['-1.234,56', 'nl-NL', 'EUR', 'amountNegative'],
      ['+5', 'en-US', 'USD', 'amountFormat'],
      ['1e309', 'en-US', 'USD', 'amountFormat'],
      ['1e3', 'en-US', 'USD', 'amountFormat'],
      ['0x10', 'en-US', 'USD', 'amountFormat'],
      ['NaN', 'en-US', 'USD', 'amountFormat'],
      ['Infinity', 'en-US', 'USD', 'amountFormat'],
      ['12a', 'en-US', 'USD', 'amountFormat'],
      ['1,2,3', 'en-US', 'USD', 'amountFormat'],
      ['1.2.3', 'nl-NL', 'EUR', 'amountFormat'],
      ['12.', 'en-US', 'USD', 'amountFormat'],
      ['.5', 'en-US', 'USD', 'amountFormat'],
      ['$12', 'en-US', 'USD', 'amountFormat'],
      ['12.345', 'en-US', 'USD', 'amountDecimals'],
      ['12.5', 'en-US', 'JPY', 'amountDecimals'],
      ['1.234,567', 'nl-NL', 'EUR', 'amountDecimals'],
      [String(MAX_MAJOR_UNITS + 1), 'en-US', 'USD', 'amountTooLarge'],
      ['99999999999999999999', 'en-US', 'USD', 'amountTooLarge'],
      [`${MAX_MAJOR_UNITS}.01`, 'en-US', 'USD', 'amountTooLarge'],
    ];
    for (const [text, locale, currency, problem] of refusals) {
      it(`refuses ${JSON.stringify(text)} (${locale}, ${currency}) with ${problem}`, () => {
        refuses(() => parseAmount(text, locale, currency), problem);
      });
    }

    it('names the field it was given and how many decimals the currency allows', () => {
      assert.throws(
        () => parseAmount('1.999', 'en-US', 'USD', 'approvedAmount'),
        (e: unknown) =>
          e instanceof AppError &&
          e.issues[0].field === 'approvedAmount' &&
          e.issues[0].params?.digits === 2,
      );
      assert.throws(
        () => parseAmount('1.5', 'en-US', 'JPY'),
        (e: unknown) => e instanceof AppError && e.issues[0].params?.digits === 0,
      );
    });
  });

  describe('parsePositiveAmount', () => {
    it('refuses zero in any spelling', () => {
      for (const text of ['0', '0.00', '0,00', '000']) {
        refuses(() => parsePositiveAmount(text, 'nl-NL', 'EUR'), 'amountPositive');
      }
    });

    it('accepts the smallest unit', () => {
      assert.deepEqual(parsePositiveAmount('0.01', 'en-US', 'USD'), { minor: 1, currency: 'USD' });
    });

    it('passes the underlying refusal through', () => {
      refuses(() => parsePositiveAmount('-1', 'en-US', 'USD'), 'amountNegative');
    });
  });

  describe('formatMoney', () => {
    it('formats in en-US', () => {
      assert.equal(formatMoney(money(123456, 'USD'), 'en-US'), '$1,234.56');
      assert.equal(formatMoney(money(5, 'USD'), 'en-US'), '$0.05');
      assert.equal(formatMoney(money(1500, 'JPY'), 'en-US'), '¥1,500');
    });

    it('formats in nl-NL', () => {
      const text = formatMoney(money(123456, 'EUR'), 'nl-NL').replace(/\s/g, ' ');
      assert.equal(text, '€ 1.234,56');
      assert.notEqual(
        formatMoney(money(123456, 'EUR'), 'en-US'),
        formatMoney(money(123456, 'EUR'), 'nl-NL'),
      );
    });

    it('shows three decimals for a three-decimal currency', () => {
      assert.match(formatMoney(money(1234, 'KWD'), 'en-US'), /1\.234$/);
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts in one currency', () => {
      assert.deepEqual(add(money(150, 'EUR'), money(250, 'EUR')), money(400, 'EUR'));
      assert.deepEqual(subtract(money(150, 'EUR'), money(250, 'EUR')), money(-100, 'EUR'));
      assert.deepEqual(zero('USD'), money(0, 'USD'));
    });

    it('refuses to mix currencies', () => {
      for (const op of [add, subtract]) {
        assert.throws(
          () => op(money(1, 'EUR'), money(1, 'USD')),
          (e: unknown) =>
            e instanceof AppError &&
            e.code === 'INVALID_INPUT' &&
            e.issues[0].problem === 'currencyMismatch',
        );
      }
    });

    it('knows currencies and their minor digits', () => {
      assert.equal(isCurrency('EUR'), true);
      assert.equal(isCurrency('XYZ'), false);
      assert.equal(minorDigits('USD'), 2);
      assert.equal(minorDigits('JPY'), 0);
      assert.equal(minorDigits('BHD'), 3);
    });
  });

  describe('formatAmountInput', () => {
    it('writes a plain localized number', () => {
      assert.equal(formatAmountInput(money(123456789, 'EUR'), 'nl-NL'), '1.234.567,89');
      assert.equal(formatAmountInput(money(123456789, 'USD'), 'en-US'), '1,234,567.89');
    });

    it('round-trips through parseAmount for any amount up to the maximum', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 10 ** 12 }),
          fc.constantFrom('en-US', 'nl-NL'),
          fc.constantFrom('EUR', 'USD'),
          (minor, locale, currency) => {
            const text = formatAmountInput(money(minor, currency), locale);
            assert.deepEqual(parseAmount(text, locale, currency), { minor, currency });
          },
        ),
        { numRuns: 500 },
      );
    });

    it('round-trips zero-decimal currencies too', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: MAX_MAJOR_UNITS }),
          fc.constantFrom('en-US', 'nl-NL'),
          (minor, locale) => {
            const text = formatAmountInput(money(minor, 'JPY'), locale);
            assert.equal(parseAmount(text, locale, 'JPY').minor, minor);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
