import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.ts';
import { AGENCIES } from '../../db/schema/proposal.ts';
import { countPackages, findPackageById, findPackageBySlug } from '../../db/queries/packages.ts';
import { getReviewRecord, listReviewQueue } from '../../db/queries/review.ts';
import { seedDemoThroughWorkflow } from '../../db/seed/workflow.ts';
import { demoCatalog } from '../../db/seed/index.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { applySettings } from '../../search/apply-settings.ts';
import { PACKAGES_INDEX, packageSettings } from '../../search/indexes/packages.ts';
import { searchPackages, type PackageQuery } from '../../search/query.ts';
import { drainOutbox } from '../../search/sync.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { moveProposal } from '../../src/lib/proposals/workflow.ts';
import { runReviewAction, standingOf, type ReviewContext } from '../../src/lib/review/actions.ts';
import { notifyMove } from '../../src/lib/review/notify.ts';
import { parseQueueQuery } from '../../src/lib/review/queue.ts';
import { loadRubric, type Rubric } from '../../src/lib/review/rubric.ts';
import type { MailMessage } from '../../src/lib/mail/index.ts';
import { addConsortium, addDraftProposal } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addMember, addOrganizationRow, addUser } from '../fixtures/people.ts';

const query = (q: string): PackageQuery => ({ q, filters: {}, sort: 'relevance', page: 1, perPage: 20 });

describe(`review and designation on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let ref: Reference;
  let rubric: Rubric;
  let clients: SearchClients;
  const outbox: MailMessage[] = [];
  const mailer = {
    async send(message: MailMessage) {
      outbox.push(message);
    },
  };
  const services = () => ({ db, mailer, config: { siteUrl: 'http://localhost:4321' } });
  let reviewer: { id: string; email: string };
  let recused: { id: string; email: string };
  let owner: { id: string; email: string };
  let memberOnly: { id: string; email: string };

  const ctx = (who: { id: string; email: string }): ReviewContext => ({
    db,
    policy: ref.policy,
    rubric,
    actor: { id: who.id, email: who.email, ip: '127.0.0.1' },
  });
  const allScores = (value: number) => Object.fromEntries(rubric.criteria.map((c) => [`score-${c.id}`, String(value)]));
  const drain = async () => {
    while ((await drainOutbox(db, clients.admin, ref)) > 0);
  };

  /** A consortium led by an organization `owner` owns, with a complete draft proposal. */
  async function newProposal(title: string): Promise<string> {
    const organizationId = await addOrganizationRow(db, `Anchor ${title}`, 'anchor');
    await addMember(db, organizationId, owner.id, 'owner');
    await addMember(db, organizationId, memberOnly.id, 'member');
    const consortiumId = await addConsortium(db, {
      name: `Consortium for ${title}`,
      anchorOrganizationId: organizationId,
      createdBy: owner.id,
      members: [
        { organizationId, role: 'anchor', legalName: 'Anchor Test Systems Inc.', layers: ['hardware', 'models'] },
        { organizationId: null, role: 'member', legalName: 'Second Test Data LLC', layers: ['data', 'security', 'applications'] },
      ],
    });
    const pkg = buildPackage({
      title,
      summary: `${title}: telemedicine and triage for district hospitals.`,
      sectors: ['healthcare'],
      targetCountries: ['KE'],
    });
    return addDraftProposal(db, consortiumId, pkg);
  }

  async function submit(proposalId: string) {
    const result = await moveProposal(db, ref.policy, {
      proposalId,
      move: 'submit',
      actor: { id: owner.id, email: owner.email, side: 'consortium' },
    });
    expect(result).toMatchObject({ ok: true, state: 'submitted' });
    await notifyMove(services(), proposalId, 'submit');
  }

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    ref = await loadReference();
    rubric = await loadRubric();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await clients.admin.deleteIndex(PACKAGES_INDEX).waitTask();
    await applySettings(clients.admin, PACKAGES_INDEX, packageSettings);
    reviewer = await addUser(db, 'reviewer', 'Rafael Reviewer', { twoFactorEnabled: true });
    recused = await addUser(db, 'reviewer', 'Rita Recused', { twoFactorEnabled: true });
    owner = await addUser(db, 'supplier', 'Olga Owner', { twoFactorEnabled: true });
    memberOnly = await addUser(db, 'supplier', 'Mo Member', { twoFactorEnabled: true });
  });
  afterAll(async () => {
    await handle?.close();
  });

  let designatedProposal: string;
  let packageId: string;

  it('loads and validates the rubric', () => {
    expect(rubric.scale).toEqual({ min: 1, max: 5 });
    expect(rubric.criteria.map((c) => c.id)).toContain('us-content');
  });

  it('takes a proposal from submission to designation: the package is published and found by search', async () => {
    const id = await newProposal('Rural telemedicine backbone');
    designatedProposal = id;
    await submit(id);
    // The owner hears of the submission, every reviewer of the new proposal; a plain member does not.
    expect(outbox.filter((m) => m.to === owner.email)).toHaveLength(1);
    expect(outbox.filter((m) => m.to === reviewer.email && m.text.includes(`/review/${id}`))).toHaveLength(1);
    expect(outbox.some((m) => m.to === memberOnly.email)).toBe(false);

    // In the queue, oldest first, filtered.
    const queue = await listReviewQueue(db, { sector: 'healthcare', country: 'KE' });
    expect(queue.map((q) => q.id)).toContain(id);
    expect(await listReviewQueue(db, { sector: 'agriculture' })).toHaveLength(0);
    expect((await listReviewQueue(db, { state: 'submitted' })).map((q) => q.title)).toEqual(['Rural telemedicine backbone']);
    expect(parseQueueQuery(new URLSearchParams('state=draft'), ref.sectors).problems.map((p) => p.field)).toEqual(['state']);
    expect(parseQueueQuery(new URLSearchParams('sector=nope&country=ZZ'), ref.sectors).problems).toHaveLength(2);

    // The declaration comes first.
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'take' })).toMatchObject({ ok: false, status: 403 });
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'conflict', conflict: '' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'conflict', conflict: 'no', conflictNote: '' })).toEqual({
      ok: true,
      done: 'conflict',
    });
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'scores', ...allScores(4) })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'take' })).toMatchObject({
      ok: true,
      moved: { move: 'take', state: 'under-review' },
    });

    // Designation needs scores and all four consultations.
    const designate = { intent: 'move', move: 'designate', reason: 'Meets every criterion.', feedback: 'Congratulations.' };
    expect(await runReviewAction(ctx(reviewer), id, designate)).toMatchObject({ ok: false, status: 400 });
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'scores', ...allScores(4), 'score-security': '9' })).toMatchObject({
      ok: false,
      status: 400,
      errors: { 'score-security': expect.any(String) },
    });
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'scores', ...allScores(4), comment: 'Strong hardware layer.' }),
    ).toEqual({ ok: true, done: 'scores' });
    const missing = await runReviewAction(ctx(reviewer), id, designate);
    expect(missing).toMatchObject({ ok: false, status: 400 });
    expect(JSON.stringify(missing)).toContain('Department of State');
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'consultation', agency: 'war', position: 'objects', comments: '' }),
    ).toMatchObject({ ok: false, status: 400 });
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'consultation', agency: 'nasa', position: 'concurs' }),
    ).toMatchObject({ ok: false, status: 400 });
    for (const agency of AGENCIES) {
      const position = agency === 'energy' ? 'concurs-with-conditions' : 'concurs';
      expect(
        await runReviewAction(ctx(reviewer), id, {
          intent: 'consultation',
          agency,
          position,
          comments: agency === 'energy' ? 'Grid study before phase 2.' : '',
        }),
      ).toEqual({ ok: true, done: 'consultation' });
    }
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'designate', reason: '', feedback: '' }),
    ).toMatchObject({ ok: false, status: 400, errors: { reason: expect.any(String) } });
    const done = await runReviewAction(ctx(reviewer), id, designate);
    expect(done).toMatchObject({ ok: true, moved: { move: 'designate', state: 'designated' } });

    // The package row and its outbox row, in the same transaction.
    const proposal = await db.selectFrom('proposal').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(proposal.state).toBe('designated');
    packageId = proposal.packageId!;
    const pkg = await findPackageById(db, packageId);
    expect(pkg).toMatchObject({ status: 'designated', proposalId: id, title: 'Rural telemedicine backbone' });
    const queued = await db.selectFrom('search_outbox').select('documentId').execute();
    expect(queued.map((r) => r.documentId)).toContain(packageId);
    await drain();
    const found = await searchPackages(clients.search, query('telemedicne backbone'));
    expect(found.hits.map((h) => h.slug)).toContain(pkg!.slug);

    // The review record shows every score, the consultations and the history.
    const record = await getReviewRecord(db, id);
    expect(record!.reviews[0]).toMatchObject({ reviewerId: reviewer.id, conflict: false, comment: 'Strong hardware layer.' });
    expect(record!.consultations.map((c) => c.agency)).toEqual([...AGENCIES]);
    expect(record!.transitions.map((tr) => tr.move)).toEqual(['submit', 'take', 'designate']);

    // The consortium is told, with the feedback.
    outbox.length = 0;
    await notifyMove(services(), id, 'designate', 'Congratulations.');
    expect(outbox.map((m) => m.to)).toEqual([owner.email]);
    expect(outbox[0]!.subject).toContain('Designated');
    expect(outbox[0]!.text).toContain('Congratulations.');
    expect(outbox[0]!.text).not.toContain('Meets every criterion.');
  });

  it('returns a proposal with feedback for the consortium and an internal reason', async () => {
    const id = await newProposal('Clinic data exchange');
    await submit(id);
    await runReviewAction(ctx(reviewer), id, { intent: 'conflict', conflict: 'no' });
    await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'take' });
    expect(
      await runReviewAction(ctx(reviewer), id, {
        intent: 'move',
        move: 'return',
        reason: 'War objects informally.',
        feedback: '',
      }),
    ).toMatchObject({
      ok: false,
      status: 400,
      errors: { feedback: expect.any(String) },
    });
    const result = await runReviewAction(ctx(reviewer), id, {
      intent: 'move',
      move: 'return',
      reason: 'War objects informally to the data-center site.',
      feedback: 'Name the site of the data center and the end users.',
    });
    expect(result).toMatchObject({
      ok: true,
      moved: { state: 'returned', feedback: 'Name the site of the data center and the end users.' },
    });
    const transition = await db
      .selectFrom('proposal_transition')
      .selectAll()
      .where('proposalId', '=', id)
      .where('move', '=', 'return')
      .executeTakeFirstOrThrow();
    expect(transition.reason).toBe('War objects informally to the data-center site.');
    expect(transition.feedback).toBe('Name the site of the data center and the end users.');
    outbox.length = 0;
    await notifyMove(services(), id, 'return', 'Name the site of the data center and the end users.');
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.text).toContain('Name the site of the data center and the end users.');
    expect(outbox[0]!.text).toContain('Returned for revision');
    expect(outbox[0]!.text).not.toContain('War objects');
    // Returned: the consortium may submit again; no reviewer decision remains.
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'designate', reason: 'x', feedback: 'y' }),
    ).toMatchObject({ ok: false, status: 409 });
    await submit(id);
    expect((await db.selectFrom('proposal_version').select('number').where('proposalId', '=', id).execute()).length).toBe(2);
  });

  it('recuses a conflicted reviewer: no scores, no consultation, no decision', async () => {
    const id = await newProposal('Hospital imaging models');
    await submit(id);
    expect(await runReviewAction(ctx(recused), id, { intent: 'conflict', conflict: 'yes', conflictNote: '' })).toMatchObject({
      ok: false,
      errors: { conflictNote: expect.any(String) },
    });
    expect(
      await runReviewAction(ctx(recused), id, {
        intent: 'conflict',
        conflict: 'yes',
        conflictNote: 'My spouse works for the anchor.',
      }),
    ).toEqual({ ok: true, done: 'conflict' });
    // The declaration cannot be taken back.
    expect(await runReviewAction(ctx(recused), id, { intent: 'conflict', conflict: 'no' })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await runReviewAction(ctx(recused), id, { intent: 'move', move: 'take' })).toMatchObject({ ok: false, status: 403 });
    await runReviewAction(ctx(reviewer), id, { intent: 'conflict', conflict: 'no' });
    await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'take' });
    for (const attempt of [
      { intent: 'scores', ...allScores(5) },
      { intent: 'consultation', agency: 'state', position: 'concurs' },
      { intent: 'move', move: 'decline', reason: 'r', feedback: 'f' },
      { intent: 'move', move: 'return', reason: 'r', feedback: 'f' },
    ]) {
      expect(await runReviewAction(ctx(recused), id, attempt)).toMatchObject({ ok: false, status: 403 });
    }
    // The state machine refuses too, whatever the page does.
    expect(
      await moveProposal(db, ref.policy, {
        proposalId: id,
        move: 'decline',
        actor: { id: recused.id, side: 'reviewer' },
        reason: 'r',
      }),
    ).toEqual({ ok: false, reason: 'recused' });
    const record = await getReviewRecord(db, id);
    expect(standingOf(record!.reviews.find((r) => r.reviewerId === recused.id))).toBe('recused');
    expect(standingOf(record!.reviews.find((r) => r.reviewerId === reviewer.id))).toBe('active');
    expect(record!.proposal.state).toBe('under-review');
  });

  it('suspends a designated package (gone from search), reinstates it, and revokes it', async () => {
    const id = designatedProposal;
    const pkg = (await findPackageById(db, packageId))!;
    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'suspend', reason: 'Compliance review.', feedback: '' }),
    ).toMatchObject({ ok: false, status: 400 });
    expect(
      await runReviewAction(ctx(reviewer), id, {
        intent: 'move',
        move: 'suspend',
        reason: 'Compliance review.',
        feedback: 'Suspended pending a compliance review.',
      }),
    ).toMatchObject({
      ok: true,
      moved: { state: 'suspended' },
    });
    expect((await findPackageById(db, packageId))!.status).toBe('suspended');
    await drain();
    expect((await searchPackages(clients.search, query('telemedicine backbone'))).hits.map((h) => h.slug)).not.toContain(
      pkg.slug,
    );
    outbox.length = 0;
    await notifyMove(services(), id, 'suspend', 'Suspended pending a compliance review.');
    expect(outbox[0]!.text).toContain('Suspended pending a compliance review.');

    expect(
      await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'reinstate', reason: 'Review cleared.', feedback: '' }),
    ).toMatchObject({ ok: true, moved: { state: 'designated' } });
    await drain();
    expect((await searchPackages(clients.search, query('telemedicine backbone'))).hits.map((h) => h.slug)).toContain(pkg.slug);

    await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'suspend', reason: 'Again.', feedback: 'Suspended again.' });
    expect(
      await runReviewAction(ctx(reviewer), id, {
        intent: 'move',
        move: 'revoke',
        reason: 'Diversion found.',
        feedback: 'The designation is revoked.',
      }),
    ).toMatchObject({
      ok: true,
      moved: { state: 'revoked' },
    });
    expect((await findPackageById(db, packageId))!.status).toBe('revoked');
    await drain();
    expect((await searchPackages(clients.search, query('telemedicine backbone'))).hits.map((h) => h.slug)).not.toContain(
      pkg.slug,
    );
    // Nothing follows a revocation.
    expect(await runReviewAction(ctx(reviewer), id, { intent: 'move', move: 'reinstate', reason: 'x' })).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('puts the demo packages through the workflow', async () => {
    const fresh = await testDb();
    try {
      const reviewerId = randomUUID();
      const result = await seedDemoThroughWorkflow(fresh.db, ref.policy, reviewerId);
      const catalog = demoCatalog();
      // Counted by where each package ends, as the demo data says it should.
      const ending = (status: string) => catalog.filter((p) => p.status === status).length;
      expect(result).toMatchObject({
        designated: ending('designated'),
        suspended: ending('suspended'),
        revoked: ending('revoked'),
        skipped: 0,
      });
      expect(result.designated).toBeGreaterThanOrEqual(24);
      expect(result.designated + result.suspended + result.revoked).toBe(catalog.length);
      expect(await countPackages(fresh.db)).toBe(catalog.length);
      for (const pkg of catalog) {
        const row = await findPackageBySlug(fresh.db, pkg.slug);
        expect(row, pkg.slug).toBeDefined();
        expect(row!.status).toBe(pkg.status);
        expect(row!.designatedAt.toISOString()).toBe(new Date(pkg.designatedAt).toISOString());
        expect(row!.proposalId).not.toBeNull();
      }
      const designated = await fresh.db.selectFrom('package').select('id').where('status', '=', 'designated').execute();
      expect(designated.length).toBeGreaterThanOrEqual(24);
      const consultations = await fresh.db.selectFrom('proposal_consultation').select('agency').execute();
      expect(consultations).toHaveLength(catalog.length * 4);
      // A second run changes nothing.
      expect(await seedDemoThroughWorkflow(fresh.db, ref.policy, reviewerId)).toMatchObject({
        designated: 0,
        skipped: catalog.length,
      });
    } finally {
      await fresh.close();
    }
  });
});
