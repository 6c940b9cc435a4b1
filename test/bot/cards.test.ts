import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createClaim, permissions, readClaimInformation } from '../../src/domain/claim';
import { readFund } from '../../src/domain/fundInput';
import type { Actor } from '../../src/domain/roles';
import { texts } from '../../src/i18n/i18n';
import { claimCard } from '../../src/bot/views/claim';
import { verbHandlers } from '../../src/bot/verbs';
import { Card, cardBytes } from '../support/teams';

// Compiled to dist/test/bot: the templates stay in the source tree.
const CARDS_DIR = path.resolve(__dirname, '../../../cards');
const templates = readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(readFileSync(path.join(CARDS_DIR, f), 'utf8')) as Card,
  }));

/** Every object in a JSON tree. */
function nodes(json: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const go = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(go);
    else if (n && typeof n === 'object') {
      out.push(n as Record<string, unknown>);
      Object.values(n).forEach(go);
    }
  };
  go(json);
  return out;
}

describe('card templates', () => {
  it('are found', () => {
    assert.ok(templates.length >= 8, templates.map((t) => t.file).join(', '));
  });

  it('use only verbs the bot handles, and the bot handles no verb that no card uses', () => {
    const used = new Set<string>();
    for (const t of templates) {
      for (const n of nodes(t.json)) {
        if (n.type === 'Action.Execute') {
          assert.equal(typeof n.verb, 'string', `${t.file}: an Action.Execute without a verb`);
          used.add(n.verb as string);
        }
      }
    }
    const known = new Set(verbHandlers().map((h) => h.verb));
    assert.deepEqual([...used].filter((v) => !known.has(v)).sort(), [], 'verbs without a handler');
    assert.deepEqual([...known].filter((v) => !used.has(v)).sort(), [], 'handlers no card uses');
  });

  it('give every input a label', () => {
    const unlabelled = templates.flatMap((t) =>
      nodes(t.json)
        .filter((n) => String(n.type).startsWith('Input.'))
        .filter((n) => typeof n.label !== 'string' || !n.label.trim())
        .map((n) => `${t.file}: ${n.id}`),
    );
    assert.deepEqual(unlabelled, []);
  });

  it('keep the claim detail card of a claim with 100 metrics under 28 KB', () => {
    const actor: Actor = {
      tenantId: 't1',
      userId: 'u1',
      name: 'Alice Baker',
      roles: new Set(['globalAdmin']),
    };
    const fund = readFund(
      {
        fundName: 'F'.repeat(80),
        allocated: '100000',
        currency: 'USD',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      },
      actor,
      'en-US',
      '2026-01-01T00:00:00Z',
      'fund-1',
    );
    const info = readClaimInformation(
      {
        title: 'T'.repeat(120),
        activityType: 'webinar',
        activityStart: '2026-01-01',
        activityEnd: '2026-01-02',
        amount: '1,000,000.00',
        description: 'd'.repeat(2000),
        additionalInfo: 'a'.repeat(4000),
      },
      'USD',
      'en-US',
    );
    const created = createClaim({
      actor,
      seq: 42,
      formId: 'form-0042',
      fund: { id: fund.id, currency: 'USD' },
      info,
      now: '2026-01-03T00:00:00Z',
    });
    const claim = {
      ...created,
      metrics: Array.from({ length: 100 }, (_, i) => ({
        id: `m${i}`,
        name: `Metric ${i} `.padEnd(60, 'x'),
        value: 123_456_789,
      })),
    };
    for (const locale of ['en-US', 'nl-NL']) {
      const card = claimCard({
        claim,
        fund,
        actor,
        can: permissions(actor, claim),
        texts: texts(locale),
        documents: { kind: 'links', urls: new Map() },
      });
      const json = JSON.stringify(card);
      assert.ok(json.includes('Metric 99 '), `${locale}: every metric is on the card`);
      assert.ok(cardBytes(card) < 28 * 1024, `${locale}: ${cardBytes(card)} bytes`);
    }
  });
});
