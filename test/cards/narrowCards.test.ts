import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AdaptiveCard, renderClaimsOverview, renderFunds } from '../../cards';
import { Claim, person } from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import { DEFAULT_POLICY, approveWithPolicy } from '../../src/domain/policy';
import { texts } from '../../src/i18n/i18n';
import { Theme, renderCard } from '../../testkit/cardRenderer';
import { NOW, WIDTH, card, draft, fund, renderingPage, reviewer } from './claimCards';
import { actor, fundViewWith } from './fixtures';

const LOCALES = ['en-US', 'nl-NL'] as const;
const THEMES: readonly Theme[] = ['light', 'dark'];
const secondReviewer = actor('u-reviewer-2', 'Ravi Reviewer', ['reviewer']);
/** The card's action row: the buttons after Details (the last button of the card's body). */
const row = (buttons: readonly string[]): string[] => buttons.slice(buttons.indexOf('Details') + 1);

/** The fund 95 % used: approved 40 %, pending 45 %, reserved 10 % (an amber bar). */
const funds = (locale: string) => [
  fundViewWith(fund, { approved: 40_000, pending: 45_000, reserved: 10_000, paid: 12_500 }, locale),
];

/** The 12-document draft, submitted: nobody has started its review. */
const submitted = (): Claim => ({
  ...draft(12),
  status: 'submitted',
  submittedAt: NOW.toISOString(),
});

describe('cards at 340 px: the fund bar, a reviewer and approval 1 of 2 (issue 29)', function () {
  this.timeout(120_000);
  const { page: currentPage, shots } = renderingPage();

  const views: [string, (locale: string) => AdaptiveCard][] = [
    [
      'funds',
      (locale) =>
        renderFunds({
          t: texts(locale).messages.funds,
          labels: texts(locale).messages.overview,
          notice: null,
          funds: funds(locale),
          canManage: true,
          formId: 'form-1',
          values: {
            fundName: '',
            allocated: '',
            currency: 'USD',
            periodStart: '',
            periodEnd: '',
          },
        }),
    ],
    [
      'overview-funds',
      (locale) =>
        renderClaimsOverview({
          t: texts(locale).messages.overview,
          claims: [],
          funds: funds(locale),
          next: null,
          canCreate: true,
        }),
    ],
    ['reviewer-submitted', (locale) => card(submitted(), reviewer, locale as 'en-US')],
  ];
  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      for (const [name, make] of views) {
        it(`${name}, ${locale}, ${theme}: every button title in full`, async () => {
          const r = await renderCard(currentPage(), make(locale), {
            width: WIDTH,
            theme,
            png: join(shots, `${name}-${locale}-${theme}.png`),
          });
          assert.deepEqual(r.truncated, [], `cut: ${r.truncated.join(', ')} of ${r.buttons}`);
        });
      }
    }
  }

  it('a reviewer of a Submitted claim has Approve in the row, not Start review', async () => {
    const r = await renderCard(currentPage(), card(submitted(), reviewer), {
      width: WIDTH,
      theme: 'light',
    });
    assert.deepEqual(row(r.buttons), ['Approve', 'Reject', 'More options']);
    assert.ok(r.height <= 900, `${r.height} px`);
  });

  it('after approval 1 of 2 its approver has no Approve; the second reviewer has', async () => {
    const context = {
      policy: { ...DEFAULT_POLICY, secondApprovalAbove: { USD: 0 } },
      reviewers: [person(secondReviewer)],
    };
    const at = NOW.toISOString();
    const first = approveWithPolicy(
      submitted(),
      reviewer,
      money(100_00, 'USD'),
      '',
      at,
      context,
      'Only part is eligible',
    );
    const mine = await renderCard(currentPage(), card(first, reviewer), {
      width: WIDTH,
      theme: 'light',
    });
    assert.ok(!mine.buttons.includes('Approve'), mine.buttons.join(', '));
    assert.ok(row(mine.buttons).includes('Next claim'), mine.buttons.join(', '));
    const theirs = await renderCard(currentPage(), card(first, secondReviewer), {
      width: WIDTH,
      theme: 'light',
    });
    assert.equal(row(theirs.buttons)[0], 'Approve');
  });
});
