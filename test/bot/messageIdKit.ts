import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import type { TeamsUser, Tenant, TurnResult } from '../support/teams';
import { blobContainer, fileMessage, sha256 } from './fileKit';
import type { FileServer } from './fileServer';
import { World, addFund, createClaim, grant } from './world';

/** In a 1:1 chat Teams' message id is the millisecond of posting: two people can send the same. */
export const SAME_ID = '1750000000000';

/** A claim of Olga's (Incentives user) that Carl (no role) was asked to send proof for. */
export interface SharedClaim {
  readonly tenant: Tenant;
  readonly olga: TeamsUser;
  readonly carl: TeamsUser;
  readonly number: string;
  /** `proof.pdf` with these bytes, sent by `u` in their 1:1 chat as the message `id`. */
  sendProof(u: TeamsUser, bytes: Buffer, id?: string): Promise<TurnResult>;
  /** The claim as stored. */
  stored(): Promise<Claim>;
  /** Each proof.pdf on the claim is recorded with its uploader's bytes, and its blob holds them. */
  assertOwnBytes(bytesByUploader: Readonly<Record<string, Buffer>>): Promise<void>;
}

/** The SHA-256 of a stored blob's bytes. */
export const blobSha = async (w: World, blobName: string): Promise<string> =>
  sha256(await blobContainer(w).getBlobClient(blobName).downloadToBuffer());

export async function sharedClaim(w: World, drive: FileServer): Promise<SharedClaim> {
  const tenant = w.teams.tenant('contoso');
  const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
  const olga = w.teams.user(tenant, 'Olga Owner');
  const carl = w.teams.user(tenant, 'Carl Contributor');
  const group = w.teams.groupChat(tenant, [admin, olga, carl]);
  await grant(w, admin, group, olga, 'incentives user');
  await addFund(w, admin);
  const { number } = await createClaim(w, olga);
  const asked = await w.teams.send(
    olga,
    olga.personal,
    `request <at>Carl Contributor</at> poe for ${number} Proof please`,
  );
  assert.match(asked.text, /Asked Carl Contributor/);
  const stored = async (): Promise<Claim> => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim, `${number} is stored`);
    return claim;
  };
  return {
    tenant,
    olga,
    carl,
    number,
    sendProof: (u, bytes, id = SAME_ID) =>
      w.teams.post({
        ...fileMessage(w.teams, u, u.personal, `${number} poe: proof`, [
          { name: 'proof.pdf', url: drive.serve('proof.pdf', bytes) },
        ]),
        id,
      }),
    stored,
    assertOwnBytes: async (bytesByUploader) => {
      const proofs = (await stored()).documents.filter((d) => d.fileName === 'proof.pdf');
      assert.deepEqual(
        proofs.map((d) => d.uploadedBy.name).sort(),
        Object.keys(bytesByUploader).sort(),
      );
      for (const doc of proofs) {
        const own = sha256(bytesByUploader[doc.uploadedBy.name]);
        assert.equal(doc.sha256, own, `${doc.uploadedBy.name}'s record`);
        assert.equal(await blobSha(w, doc.blobName), own, `${doc.uploadedBy.name}'s blob`);
      }
    },
  };
}
