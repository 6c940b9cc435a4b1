import {
  Claim,
  addDocument,
  addMetric,
  approve,
  recordPayment,
  commentOnItem,
  createClaim,
  dispute,
  owedOf,
  reject,
  requestInformation,
  requestUploads,
  setExchangeRate,
  startReview,
  submit,
  updateNotification,
} from '../domain/claim';
import { Money, formatAmountInput, money } from '../domain/money';
import type { Actor, Person } from '../domain/roles';
import { addDays } from '../domain/dates';
import { FULL_RATE } from '../domain/reimbursement';
import { DemoClaim, FirstName, Step, demoFundId } from './demoClaims';
import type { DemoFile } from './demoDocuments';
import { DEMO_TENANT_ID, DEMO_USERS } from './seed';

const user = (first: FirstName) => {
  const found = DEMO_USERS.find((u) => u.name.startsWith(`${first} `));
  if (!found) throw new Error(`no demo user ${first}`);
  return found;
};

/** The Teams user id .m365agentsplayground.yml gives a demo person: their notifications reach them. */
const channelUserIdOf = (name: string): string =>
  `29:1contoso-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

const actorOf = (first: FirstName): Actor => {
  const u = user(first);
  return {
    tenantId: DEMO_TENANT_ID,
    userId: u.id,
    name: u.name,
    channelUserId: channelUserIdOf(u.name),
    roles: new Set(u.roles),
  };
};

export const personOf = (first: FirstName): Person => ({
  id: user(first).id,
  name: user(first).name,
  channelUserId: channelUserIdOf(user(first).name),
});

export interface BuildContext {
  readonly seq: number;
  /** `YYYY-MM-DD` */
  readonly today: string;
  readonly files: ReadonlyMap<string, DemoFile>;
  /** What the claim's fund has left when it is submitted. */
  readonly remaining: Money;
}

/**
 * The claim as its people made it, step by step through the domain's own functions (so history,
 * hands and notifications are real). Notifications count as delivered long ago, except an open
 * upload request: the colleague gets it when they first open their chat with the bot.
 */
export function buildDemoClaim(spec: DemoClaim, ctx: BuildContext): Claim {
  const at = (day: number, index: number): string => {
    const minutes = 8 * 60 + index * 7;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return `${addDays(ctx.today, day)}T${time}:00.000Z`;
  };
  const formId = `demo-${spec.key}`;
  let claim = createClaim({
    actor: actorOf(spec.owner),
    seq: ctx.seq,
    formId,
    fund: {
      id: demoFundId(spec.fund),
      currency: 'USD',
      terms: { currency: 'USD', rate: spec.fund === 'half' ? FULL_RATE / 2 : FULL_RATE },
    },
    now: at(spec.createdDay, 0),
    info: {
      title: spec.title,
      activityType: spec.activityType,
      activityStart: addDays(ctx.today, spec.activity[0]),
      activityEnd: addDays(ctx.today, spec.activity[1]),
      amount: money(spec.amountMinor, spec.currency ?? 'USD'),
      description: spec.description,
      additionalInfo: '',
    },
  });
  spec.steps.forEach((step, i) => {
    claim = applyStep(claim, step, {
      actor: actorOf(step.by ?? spec.owner),
      now: at(step.day, i + 1),
      ctx,
    });
  });
  // The open request waits for the colleague as one to someone not at the Playground's keyboard
  // does (no delivery attempt, so no history written at start-up).
  return claim.outbox.reduce(
    (c, n) =>
      updateNotification(c, n.id, (x) =>
        x.kind === 'uploadRequested'
          ? { ...x, state: 'awaitingInstall' }
          : { ...x, state: 'delivered', deliveredAt: x.createdAt },
      ),
    claim,
  );
}

type StepOf<K extends Step['kind']> = Extract<Step, { kind: K }>;

/** A demo file added to the claim as a document, as if uploaded. */
function addDemoDocument(
  claim: Claim,
  step: StepOf<'document'>,
  { actor, now, ctx }: { actor: Actor; now: string; ctx: BuildContext },
): Claim {
  const file = ctx.files.get(step.file);
  if (!file) throw new Error(`demo file ${step.file} not loaded`);
  const id = `d${claim.documents.length + 1}`;
  return addDocument(
    claim,
    actor,
    {
      id,
      type: step.type,
      fileName: step.file,
      blobName: `${claim.tenantId}/${claim.number}/${id}/${step.file}`,
      size: file.size,
      contentType: file.contentType,
      sha256: file.sha256,
      explanation: step.explanation,
    },
    now,
  );
}

/** A payment of the step's amount, or of what is still owed. */
function payDemoClaim(claim: Claim, step: StepOf<'pay'>, actor: Actor, now: string): Claim {
  return recordPayment(
    claim,
    actor,
    {
      method: step.method,
      amount: formatAmountInput(
        step.amountMinor === undefined ? owedOf(claim) : money(step.amountMinor, 'USD'),
        'en-US',
      ),
      date: now.slice(0, 10),
      reference: step.reference,
    },
    'en-US',
    now,
  );
}

function applyStep(
  claim: Claim,
  step: Step,
  { actor, now, ctx }: { actor: Actor; now: string; ctx: BuildContext },
): Claim {
  const documentId = (file: string): string => {
    const doc = claim.documents.find((d) => d.fileName === file);
    if (!doc) throw new Error(`${claim.number} has no ${file}`);
    return doc.id;
  };
  switch (step.kind) {
    case 'document':
      return addDemoDocument(claim, step, { actor, now, ctx });
    case 'metric':
      return addMetric(
        claim,
        actor,
        {
          ...(step.metricKind ? { kind: step.metricKind } : {}),
          name: step.name,
          value: step.value,
        },
        now,
      );
    case 'exchangeRate':
      return setExchangeRate(claim, actor, step.scaled, now);
    case 'submit':
      return submit(
        claim,
        actor,
        { remaining: ctx.remaining, reviewers: [personOf('Isaiah')] },
        now,
      );
    case 'startReview':
      return startReview(claim, actor, now);
    case 'approve':
      return approve(
        claim,
        actor,
        money(step.approvedMinor, 'USD'),
        step.note,
        now,
        step.reason ?? '',
      );
    case 'reject':
      return reject(claim, actor, step.reason, now);
    case 'dispute':
      return dispute(claim, actor, step.reason, [personOf('Isaiah')], now);
    case 'requestInformation':
      return requestInformation(claim, actor, step.note, now, [
        { documentId: documentId(step.feedback.file), text: step.feedback.text },
      ]);
    case 'commentOnItem':
      return commentOnItem(
        claim,
        actor,
        { documentId: documentId(step.file), text: step.text },
        now,
      );
    case 'pay':
      return payDemoClaim(claim, step, actor, now);
    case 'requestUpload':
      return requestUploads(
        claim,
        actor,
        { to: [personOf(step.to)], types: step.types, note: step.note },
        now,
      );
  }
}
