import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { AdaptiveCard } from '../../cards';
import { claimCard } from '../../src/bot/views/claim';
import {
  Claim,
  DuplicateFlag,
  addDocument,
  addMetric,
  createClaim,
  permissions,
  readClaimInformation,
} from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import type { Actor } from '../../src/domain/roles';
import { texts } from '../../src/i18n/i18n';
import { launchChromium, testScreenshotPath } from '../../testkit/browser';
import { actor, incentivesAdmin, usdFund } from './fixtures';

/** Claim cards as the renderer tests draw them: a draft of the roadshow claim, for each viewer. */
export const NOW = new Date('2026-03-01T09:00:00Z');

export const owner = actor('u-owner', 'Olga Owner', ['incentivesUser']);
export const reviewer = actor('u-reviewer', 'Rita Reviewer', ['reviewer']);
export const admin = incentivesAdmin;
export const fund = usdFund('FY27 Events fund', '100000');

/** A draft with `documents` documents (invoices and PoEs) and a metric. */
export function draft(documents: number): Claim {
  const info = readClaimInformation(
    {
      title: 'Partner roadshow Utrecht',
      activityType: 'event',
      activityStart: '2026-02-01',
      activityEnd: '2026-02-10',
      amount: '12,345.67',
      description: 'Booth, catering and travel for the roadshow.',
      additionalInfo: '',
    },
    'USD',
    'en-US',
  );
  let claim = createClaim({
    actor: owner,
    seq: 42,
    formId: 'form-0042',
    fund: { id: fund.id, currency: 'USD' },
    info,
    now: NOW.toISOString(),
  });
  for (let i = 1; i <= documents; i++) {
    claim = addDocument(
      claim,
      owner,
      {
        id: `d${i}`,
        type: i % 2 ? 'invoice' : 'poe',
        fileName: `roadshow-document-${i}.pdf`,
        blobName: `t1/CLM-0042/d${i}/doc.pdf`,
        size: 123_456,
        contentType: 'application/pdf',
        sha256: 'f'.repeat(64),
        explanation: `Venue and catering, day ${i}`,
      },
      NOW.toISOString(),
    );
  }
  return addMetric(claim, owner, { name: 'Attendees', value: 140 }, NOW.toISOString());
}

export const card = (
  claim: Claim,
  who: Actor,
  locale: 'en-US' | 'nl-NL' = 'en-US',
  duplicates: readonly DuplicateFlag[] = [],
): AdaptiveCard =>
  claimCard({
    claim,
    fund,
    actor: who,
    can: permissions(who, claim),
    texts: texts(locale),
    documents: { kind: 'onRequest' },
    now: NOW,
    remaining: money(100_000_00, 'USD'),
    duplicates,
  });

/** Teams' narrowest card (a phone). */
export const WIDTH = 340;

/**
 * A browser page to render cards on for the suite it is called in (opened before, closed after), and
 * the folder their PNGs go to.
 */
export function renderingPage(): { page(): Page; readonly shots: string } {
  let browser: Browser | undefined;
  let page: Page | undefined;
  const shots = testScreenshotPath('cards-340');
  before(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage();
  });
  after(() => browser?.close());
  return {
    shots,
    page: () => {
      if (!page) throw new Error('the page opens before the tests');
      return page;
    },
  };
}
