import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { AGENCIES } from '../../db/schema/proposal.ts';
import { findPackageById } from '../../db/queries/packages.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { drainOutbox } from '../../search/sync.ts';
import { searchPackages } from '../../search/query.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { moveProposal, moveUpdate } from '../../src/lib/proposals/workflow.ts';
import { checkUpdateMove } from '../../src/lib/proposals/state.ts';
import { runReviewAction } from '../../src/lib/review/actions.ts';
import { loadRubric } from '../../src/lib/review/rubric.ts';
import { addConsortium, addDraftProposal } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addOrganizationRow } from '../fixtures/people.ts';

// Issue 4: a designated package can be updated; the live package stays as it is until a
// reviewer approves the update, then the catalog and the index show the new version.
describe('updating a designated package', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let clients: SearchClients;
  let ref: Reference;
  const owner = { id: randomUUID(), email: 'owner@update.example.com', side: 'consortium' as const };
  const reviewer = { id: randomUUID(), email: 'reviewer@update.example.com', side: 'reviewer' as const };
  let proposalId: string;
  let packageId: string;

  beforeAll(async () => {
    handle = await testDb();
    ref = await loadReference();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await applySettings(clients.admin, PACKAGES_INDEX, packageSettings);
    const db = handle.db;
    const organizationId = await addOrganizationRow(db, 'Lodestar Grid Inc.', 'lodestar');
    const consortiumId = await addConsortium(db, {
      name: 'Lodestar Consortium',
      anchorOrganizationId: organizationId,
      createdBy: owner.id,
      members: [
        {
          organizationId,
          role: 'anchor',
          legalName: 'Lodestar Grid Inc.',
          layers: ['hardware', 'data', 'models', 'security', 'applications'],
        },
      ],
    });
    const pkg = buildPackage({
      title: 'Lodestar Grid Forecasting',
      summary: 'Grid forecasting for utilities.',
      sectors: ['energy'],
      targetCountries: ['CL'],
    });
    proposalId = await addDraftProposal(db, consortiumId, pkg);
    const rubric = await loadRubric();
    const ctx = { db, policy: ref.policy, rubric, actor: { ...reviewer, ip: '127.0.0.1' } };
    expect(await moveProposal(db, ref.policy, { proposalId, move: 'submit', actor: owner })).toMatchObject({ ok: true });
    await runReviewAction(ctx, proposalId, { intent: 'conflict', conflict: 'no' });
    await runReviewAction(ctx, proposalId, { intent: 'move', move: 'take' });
    await runReviewAction(ctx, proposalId, {
      intent: 'scores',
      ...Object.fromEntries(rubric.criteria.map((c) => [`score-${c.id}`, '4'])),
    });
    for (const agency of AGENCIES)
      await runReviewAction(ctx, proposalId, { intent: 'consultation', agency, position: 'concurs', comments: '' });
    const designated = await moveProposal(db, ref.policy, {
      proposalId,
      move: 'designate',
      actor: reviewer,
      reason: 'Meets the rubric.',
    });
    expect(designated).toMatchObject({ ok: true, state: 'designated' });
    packageId = (designated as { packageId: string }).packageId;
    while ((await drainOutbox(db, clients.admin, ref)) > 0);
  });
  afterAll(async () => {
    await handle.close();
  });

  const titleInDraft = (title: string) =>
    handle.db
      .updateTable('proposal')
      .set({ draft: sql`jsonb_set(draft, '{title}', to_jsonb(${title}::text))` })
      .where('id', '=', proposalId)
      .execute();

  it('allows an update only of a designated package, by the right side, with a reason for decisions', () => {
    expect(checkUpdateMove('under-review', null, 'start-update', 'consortium')).toEqual({
      ok: false,
      reason: 'not-allowed-from-state',
    });
    expect(checkUpdateMove('designated', null, 'start-update', 'reviewer')).toEqual({ ok: false, reason: 'wrong-actor' });
    expect(checkUpdateMove('designated', 'submitted', 'approve-update', 'reviewer', ' ')).toEqual({
      ok: false,
      reason: 'reason-required',
    });
    expect(checkUpdateMove('designated', 'editing', 'approve-update', 'reviewer', 'ok')).toEqual({
      ok: false,
      reason: 'not-allowed-from-state',
    });
  });

  it('keeps the live package until the reviewer approves, then publishes the new version under the same slug', async () => {
    const db = handle.db;
    const before = (await findPackageById(db, packageId))!;
    expect(await moveUpdate(db, ref.policy, { proposalId, move: 'start-update', actor: owner })).toEqual({
      ok: true,
      changeState: 'editing',
    });
    await titleInDraft('Lodestar Grid Forecasting and Storage Dispatch');
    expect(await moveUpdate(db, ref.policy, { proposalId, move: 'submit-update', actor: owner })).toEqual({
      ok: true,
      changeState: 'submitted',
    });
    const versions = await db.selectFrom('proposal_version').select('number').where('proposalId', '=', proposalId).execute();
    expect(versions.map((v) => v.number).sort()).toEqual([1, 2]);
    expect((await findPackageById(db, packageId))!.title).toBe('Lodestar Grid Forecasting');

    // Sent back: still the old package; the consortium revises and submits again.
    expect(
      await moveUpdate(db, ref.policy, {
        proposalId,
        move: 'reject-update',
        actor: reviewer,
        reason: 'Say what storage is added.',
        feedback: 'Describe the storage.',
      }),
    ).toEqual({
      ok: true,
      changeState: 'editing',
    });
    expect((await findPackageById(db, packageId))!.title).toBe('Lodestar Grid Forecasting');
    expect(await moveUpdate(db, ref.policy, { proposalId, move: 'submit-update', actor: owner })).toMatchObject({ ok: true });

    expect(
      await moveUpdate(db, ref.policy, { proposalId, move: 'approve-update', actor: reviewer, reason: 'Storage described.' }),
    ).toEqual({ ok: true, changeState: null });
    const after = (await findPackageById(db, packageId))!;
    expect(after.title).toBe('Lodestar Grid Forecasting and Storage Dispatch');
    expect(after.slug).toBe(before.slug);
    expect(after.status).toBe('designated');
    expect(new Date(after.designatedAt).getTime()).toBe(new Date(before.designatedAt).getTime());

    while ((await drainOutbox(db, clients.admin, ref)) > 0);
    const hits = (
      await searchPackages(clients.search, { q: 'Lodestar dispatch', filters: {}, sort: 'relevance', page: 1, perPage: 5 })
    ).hits;
    expect(hits.map((h) => h.title)).toContain('Lodestar Grid Forecasting and Storage Dispatch');
  });
});
