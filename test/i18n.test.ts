import assert from 'node:assert/strict';
import { money } from '../src/domain/money';
import en from '../src/i18n/en-US.json';
import { LOCALES, Texts, fill, pickLocale, texts } from '../src/i18n/i18n';
import nl from '../src/i18n/nl-NL.json';

/** Every string of a bundle by its dotted path. */
function flatten(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string): string[] =>
  [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('i18n', () => {
  const english = flatten(en);
  const dutch = flatten(nl);

  it('en-US and nl-NL have the same keys', () => {
    assert.ok(english.size > 50, 'the bundles are not empty');
    assert.deepEqual([...dutch.keys()].sort(), [...english.keys()].sort());
  });

  it('every message has the same placeholders in both languages', () => {
    const mismatched = [...english]
      .filter(([key]) => dutch.has(key))
      .filter(
        ([key, text]) => placeholders(text).join() !== placeholders(dutch.get(key) ?? '').join(),
      )
      .map(([key]) => key);
    assert.deepEqual(mismatched, []);
  });

  it('a message is empty in both languages or in neither; Dutch is not a copy of English', () => {
    for (const [key, text] of english) assert.equal(!text.trim(), !dutch.get(key)?.trim(), key);
    const same = [...english].filter(([key, text]) => dutch.get(key) === text).length;
    assert.ok(same < english.size / 4, `${same} of ${english.size} messages identical`);
  });

  it('pickLocale gives Dutch to every Dutch variant and English to everything else', () => {
    for (const l of ['nl', 'nl-BE', 'nl-NL', 'NL-nl']) assert.equal(pickLocale(l), 'nl-NL', l);
    for (const l of ['en-GB', 'en-US', 'fr-FR', 'de-NL', '', 'nld', undefined]) {
      assert.equal(pickLocale(l), 'en-US', String(l));
    }
    assert.deepEqual([...LOCALES], ['en-US', 'nl-NL']);
  });

  it('texts() picks the bundle and translates', () => {
    assert.equal(texts('nl-BE').locale, 'nl-NL');
    assert.equal(texts('fr-FR').locale, 'en-US');
    assert.equal(texts('en-US').t('status.underReview'), 'Under review');
    assert.equal(texts('nl-NL').t('status.underReview'), nl.status.underReview);
    assert.notEqual(nl.status.underReview, en.status.underReview);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    assert.equal(fill('{a} and {b}', { a: 'x', b: 2 }), 'x and 2');
    assert.equal(fill('{a} and {missing}', { a: 'x' }), 'x and {missing}');
    assert.equal(fill('{a}', { a: '{b}', b: 'no' }), '{b}', 'values are not re-expanded');
  });

  it('a key that does not exist comes back as itself', () => {
    assert.equal(texts('en-US').tDynamic('status.nonsense'), 'status.nonsense');
  });

  it('formats money per locale', () => {
    const m = money(123456, 'EUR');
    assert.equal(new Texts('en-US').money(m), '€1,234.56');
    assert.equal(new Texts('nl-NL').money(m).replace(/\s/g, ' '), '€ 1.234,56');
  });

  it('formats dates per locale, in UTC', () => {
    assert.equal(new Texts('en-US').date('2026-11-27'), 'Nov 27, 2026');
    assert.equal(new Texts('nl-NL').date('2026-11-27'), '27 nov 2026');
    assert.equal(new Texts('en-US').date('2026-01-01T23:59:00Z'), 'Jan 1, 2026');
    assert.equal(new Texts('en-US').date('not a date'), 'not a date');
    assert.notEqual(
      new Texts('en-US').dateTime('2026-11-27T14:05:00Z'),
      new Texts('nl-NL').dateTime('2026-11-27T14:05:00Z'),
    );
    assert.match(new Texts('nl-NL').dateTime('2026-11-27T14:05:00Z'), /14:05/);
  });

  it('formats sizes per locale', () => {
    assert.equal(new Texts('en-US').bytes(512), '512 B');
    assert.equal(new Texts('en-US').bytes(1536), '1.5 KB');
    assert.equal(new Texts('nl-NL').bytes(1536), '1,5 KB');
    assert.equal(new Texts('en-US').bytes(5 * 1024 * 1024), '5 MB');
  });
});
