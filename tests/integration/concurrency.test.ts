import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../db/schema/index.ts';
import type { AuditAction } from '../../db/schema/audit-event.ts';
import { AGENCIES } from '../../db/schema/proposal.ts';
import { findProposalWithConsortium, sectionRevision } from '../../db/queries/proposals.ts';
import { upsertPackage } from '../../db/queries/packages.ts';
import { getTerritory } from '../../db/queries/territories.ts';
import { connectSearch, type SearchClients } from '../../search/client.ts';
import { importScreeningList } from '../../src/lib/screening/import.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import type { Auth } from '../../src/lib/auth/index.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { saveSection, valuesFromDraft, type FormValues } from '../../src/lib/proposals/editor.ts';
import type { Section } from '../../src/lib/proposals/content.ts';
import { moveProposal } from '../../src/lib/proposals/workflow.ts';
import { runReviewAction, type ReviewContext } from '../../src/lib/review/actions.ts';
import { loadRubric, type Rubric } from '../../src/lib/review/rubric.ts';
import { answerInvitation, handleOrganizationForm } from '../../src/lib/organizations/actions.ts';
import { invitationFor, organizationAccess } from '../../src/lib/organizations/access.ts';
import { createOrganizationFor, ensureUser } from '../../src/lib/auth/users.ts';
import { testAuth } from '../fixtures/accounts.ts';
import { answerConsortiumInvitation, handleConsortiumForm, type ConsortiumContext } from '../../src/lib/consortia/actions.ts';
import { consortiumAccess, consortiumInvitationFor } from '../../src/lib/consortia/access.ts';
import { encodeTerritory, runUserAction, type AdminContext } from '../../src/lib/admin/actions.ts';
import { decideVetting, requestVetting } from '../../src/lib/vetting/actions.ts';
import type { VettingServices } from '../../src/lib/vetting/services.ts';
import {
  moveIntroduction,
  requestIntroduction,
  type IntroductionServices,
  type IntroductionUser,
} from '../../src/lib/introductions/actions.ts';
import { addConsortium, addConsortiumMember, addDraftProposal } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { formOf } from '../fixtures/forms.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addMember, addOfficer, addOrganization, addUser, companyProfile, type TestUser } from '../fixtures/people.ts';

// Lost updates, double submits and parallel decisions, through the functions the pages call,
// with real parallel calls (Promise.all) on a real database (PGlite, or PostgreSQL with
// TEST_DATABASE_URL, where the calls truly run at once).

const t = useTranslations();
const demoList = readFileSync(new URL('../../db/seed/csl-demo.json', import.meta.url), 'utf8');
const mailer = { kind: 'development' as const, send: async () => {} };

describe(`concurrency on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let db: Kysely<Database>;
  let reference: Reference;
  let rubric: Rubric;
  let clients: SearchClients;

  let anchor: { organizationId: string; owner: TestUser; member: TestUser };
  let coLead: TestUser;
  let consortiumId: string;
  let reviewerA: TestUser;
  let reviewerB: TestUser;
  let adminA: TestUser;
  let adminB: TestUser;

  const count = async (action: AuditAction, subjectId: string) =>
    (
      await db
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', action)
        .where('subjectId', '=', subjectId)
        .executeTakeFirstOrThrow()
    ).n;
  const n = (value: number | string | bigint) => Number(value);

  const actor = (who: TestUser) => ({ id: who.id, email: who.email, ip: '127.0.0.1' });
  const save = (proposalId: string, section: Section, values: FormValues, who: TestUser, revision: number | undefined) =>
    saveSection(db, { proposalId, section, values, revision, actor: actor(who), reference, t });
  const revisionOf = async (proposalId: string, section: Section) =>
    sectionRevision((await findProposalWithConsortium(db, proposalId))!, section);
  const draftOf = async (proposalId: string) => (await findProposalWithConsortium(db, proposalId))!.draft;
  const reviewCtx = (who: TestUser): ReviewContext => ({ db, policy: reference.policy, rubric, actor: actor(who) });
  const allScores = (value: number) => Object.fromEntries(rubric.criteria.map((c) => [`score-${c.id}`, String(value)]));

  async function newProposal(title: string): Promise<string> {
    return addDraftProposal(db, consortiumId, buildPackage({ title, sectors: ['healthcare'], targetCountries: ['KE'] }));
  }

  /** A submitted proposal taken under review by reviewer A, scored, every agency consulted. */
  async function underReview(title: string): Promise<string> {
    const id = await newProposal(title);
    expect(
      await moveProposal(db, reference.policy, {
        proposalId: id,
        move: 'submit',
        actor: { id: anchor.owner.id, email: anchor.owner.email, side: 'consortium' },
      }),
    ).toMatchObject({ ok: true });
    for (const who of [reviewerA, reviewerB])
      expect(await runReviewAction(reviewCtx(who), id, { intent: 'conflict', conflict: 'no' })).toMatchObject({ ok: true });
    expect(await runReviewAction(reviewCtx(reviewerA), id, { intent: 'move', move: 'take' })).toMatchObject({ ok: true });
    expect(await runReviewAction(reviewCtx(reviewerA), id, { intent: 'scores', ...allScores(4) })).toMatchObject({ ok: true });
    return id;
  }

  beforeAll(async () => {
    handle = await testDb();
    db = handle.db;
    reference = await loadReference();
    rubric = await loadRubric();
    clients = await connectSearch(inject('meiliUrl'), inject('meiliMasterKey'));
    await importScreeningList(db, clients.admin, demoList, { filename: 'csl-demo.json', importedBy: 'test' });

    anchor = await addOrganization(db, { kind: 'supplier', legalName: 'Anchor Concurrency Systems Inc.', country: 'US' });
    coLead = await addUser(db, 'supplier', 'Cora Colead');
    await addMember(db, anchor.organizationId, coLead.id, 'admin');
    consortiumId = await addConsortium(db, {
      name: 'Concurrency Health Consortium',
      anchorOrganizationId: anchor.organizationId,
      createdBy: anchor.owner.id,
      members: [
        {
          organizationId: anchor.organizationId,
          role: 'anchor',
          legalName: 'Anchor Concurrency Systems Inc.',
          layers: ['hardware', 'models', 'data', 'security', 'applications'],
        },
      ],
    });
    reviewerA = await addUser(db, 'reviewer', 'Rafael Reviewer');
    reviewerB = await addUser(db, 'reviewer', 'Rosa Reviewer');
    adminA = await addUser(db, 'admin', 'Ada Admin');
    adminB = await addUser(db, 'admin', 'Abe Admin');
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  describe('stale saves are refused with what changed, and nothing is lost', () => {
    it('a proposal section: the second save from a stale form gets 409, the first one’s text stays', async () => {
      const id = await newProposal('Stale section proposal');
      const opened = await revisionOf(id, 'overview');
      const form = valuesFromDraft(await draftOf(id), 'overview');
      // Two sessions opened the same section at `opened`; the first saves.
      const first = await save(id, 'overview', { ...form, title: ['Title saved first'] }, anchor.owner, opened);
      expect(first).toMatchObject({ ok: true, changed: true, revision: opened + 1 });
      // The second saves from its stale form: refused, with the first one's text beside theirs.
      const second = await save(id, 'overview', { ...form, title: ['Title from the stale form'] }, coLead, opened);
      expect(second).toMatchObject({ ok: false, status: 409, errors: { form: t('proposals.error.conflict') } });
      if (second.ok) throw new Error('saved');
      expect(second.conflict).toMatchObject({ revision: opened + 1, by: anchor.owner.name });
      expect(second.conflict!.at).toBeInstanceOf(Date);
      expect(second.conflict!.fields).toEqual([
        { name: 'title', label: t('proposals.field.title'), saved: 'Title saved first', yours: 'Title from the stale form' },
      ]);
      expect((await draftOf(id)).title).toBe('Title saved first');
      expect(n(await count('proposal-saved', id))).toBe(1);
      // Saving again with the revision the conflict reported is a deliberate choice: it goes ahead.
      const again = await save(
        id,
        'overview',
        { ...form, title: ['Title from the stale form'] },
        coLead,
        second.conflict!.revision,
      );
      expect(again).toMatchObject({ ok: true, changed: true, revision: opened + 2 });
      expect((await draftOf(id)).title).toBe('Title from the stale form');
    });

    it('two sections saved from forms opened at once both go ahead (a revision per section)', async () => {
      const id = await newProposal('Two sections proposal');
      const draft = await draftOf(id);
      const overview = await revisionOf(id, 'overview');
      const business = await revisionOf(id, 'business');
      const [a, b] = await Promise.all([
        save(id, 'overview', { ...valuesFromDraft(draft, 'overview'), title: ['New title'] }, anchor.owner, overview),
        save(id, 'business', { ...valuesFromDraft(draft, 'business'), builds: ['A new builder'] }, coLead, business),
      ]);
      expect(a).toMatchObject({ ok: true, changed: true });
      expect(b).toMatchObject({ ok: true, changed: true });
      const after = await draftOf(id);
      expect(after.title).toBe('New title');
      expect((after.businessModel as Record<string, unknown>).builds).toBe('A new builder');
    });

    it('parallel saves of one section from one revision: exactly one wins, the other gets 409', async () => {
      const id = await newProposal('Parallel section proposal');
      const opened = await revisionOf(id, 'compliance');
      const form = valuesFromDraft(await draftOf(id), 'compliance');
      const results = await Promise.all(
        [anchor.owner, coLead, anchor.owner, coLead].map((who, i) =>
          save(id, 'compliance', { ...form, endUse: [`End-use statement number ${i}`] }, who, opened),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.status)).toEqual([409, 409, 409]);
      const winner = results.findIndex((r) => r.ok);
      const compliance = (await draftOf(id)).compliance as Record<string, unknown>;
      expect(compliance.endUse).toBe(`End-use statement number ${winner}`);
      expect(await revisionOf(id, 'compliance')).toBe(opened + 1);
      expect(n(await count('proposal-saved', id))).toBe(1);
    });

    it('the same text posted twice from one form (a double submit) is saved once, and the second is not a conflict', async () => {
      const id = await newProposal('Double submit section proposal');
      const opened = await revisionOf(id, 'overview');
      const values = { ...valuesFromDraft(await draftOf(id), 'overview'), summary: ['The same summary, posted twice.'] };
      const [a, b] = await Promise.all([
        save(id, 'overview', values, coLead, opened),
        save(id, 'overview', values, coLead, opened),
      ]);
      expect([a.ok, b.ok]).toEqual([true, true]);
      expect([a, b].filter((r) => r.ok && r.changed)).toHaveLength(1);
      expect(n(await count('proposal-saved', id))).toBe(1);
    });

    it('an update of a designated package: a stale save of the new version is refused too', async () => {
      const id = await newProposal('Package update proposal');
      const pkg = await upsertPackage(db, buildPackage({ slug: 'concurrency-update', title: 'Package update proposal' }), {
        proposalId: id,
      });
      await db
        .updateTable('proposal')
        .set({ state: 'designated', changeState: 'editing', packageId: pkg.id })
        .where('id', '=', id)
        .execute();
      const opened = await revisionOf(id, 'markets');
      const form = valuesFromDraft(await draftOf(id), 'markets');
      expect(await save(id, 'markets', { ...form, targetCountries: ['KE', 'TZ'] }, anchor.owner, opened)).toMatchObject({
        ok: true,
      });
      const stale = await save(id, 'markets', { ...form, targetCountries: ['GH'] }, coLead, opened);
      expect(stale).toMatchObject({ ok: false, status: 409 });
      if (!stale.ok) expect(stale.conflict!.fields).toMatchObject([{ name: 'targetCountries', saved: 'KE, TZ', yours: 'GH' }]);
      expect((await draftOf(id)).targetCountries).toEqual(['KE', 'TZ']);
    });

    it('a proposal that left an editable state meanwhile: 409, and the caller still has the text', async () => {
      const id = await newProposal('Submitted meanwhile proposal');
      const opened = await revisionOf(id, 'overview');
      await db.updateTable('proposal').set({ state: 'submitted' }).where('id', '=', id).execute();
      const result = await save(id, 'overview', { title: ['Typed after the submission'] }, coLead, opened);
      expect(result).toMatchObject({ ok: false, status: 409, errors: { form: t('proposals.error.notEditable') } });
    });

    it('the organization profile: a stale save gets 409 with the fields changed, the first save stays', async () => {
      const org = await addOrganization(db, { kind: 'buyer', legalName: 'Profile Race Hospital', country: 'KE' });
      const admin2 = await addUser(db, 'buyer', 'Second Manager');
      await addMember(db, org.organizationId, admin2.id, 'admin');
      const ctx = (who: TestUser) => ({
        db,
        auth: undefined as unknown as Auth,
        sectors: reference.sectors,
        viewer: who,
        headers: new Headers(),
        ip: '127.0.0.1',
      });
      const post = async (who: TestUser, fields: Record<string, string | string[]>) =>
        handleOrganizationForm(ctx(who), (await organizationAccess(db, who, org.organizationId))!, formOf(fields));
      const opened = (await organizationAccess(db, org.owner, org.organizationId))!.profile!.revision;
      const base = { intent: 'profile', legalName: 'Profile Race Hospital', country: 'KE', organizationType: 'hospital' };
      expect(await post(org.owner, { ...base, address: '1 First Street', revision: String(opened) })).toMatchObject({ ok: true });
      const stale = await post(admin2, {
        ...base,
        address: '2 Stale Road',
        website: 'https://stale.example.org',
        revision: String(opened),
      });
      expect(stale).toMatchObject({ ok: false, status: 409, form: 'profile', errors: { form: t('org.profile.error.conflict') } });
      if (stale.ok) throw new Error('saved');
      // The person's entries come back (to stay in the form), with the current revision.
      expect(stale.values).toMatchObject({ address: '2 Stale Road', revision: String(opened + 1) });
      expect(stale.conflict!.by).toBe(org.owner.name);
      expect(stale.conflict!.fields.map((f) => [f.name, f.saved, f.yours])).toEqual([
        ['website', '', 'https://stale.example.org'],
        ['address', '1 First Street', '2 Stale Road'],
      ]);
      const now = (await organizationAccess(db, org.owner, org.organizationId))!.profile!;
      expect(now).toMatchObject({ address: '1 First Street', website: null, revision: opened + 1 });
      // Parallel saves from one revision: one wins.
      const results = await Promise.all(
        ['3 Parallel Lane', '4 Parallel Lane'].map((address, i) =>
          post(i ? admin2 : org.owner, { ...base, address, revision: String(opened + 1) }),
        ),
      );
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      expect(n(await count('organization-updated', org.organizationId))).toBe(2);
    });

    it('a consortium member’s layers: a stale change gets 409 and the current layers', async () => {
      const memberOrg = await addOrganization(db, { kind: 'supplier', legalName: 'Layer Race Data LLC', country: 'US' });
      const memberId = await addConsortiumMember(db, consortiumId, {
        organizationId: memberOrg.organizationId,
        legalName: 'Layer Race Data LLC',
        layers: ['data'],
      });
      const ctx = (who: TestUser): ConsortiumContext => ({
        db,
        policy: reference.policy,
        countryName: reference.countryName,
        mailer,
        siteUrl: 'http://localhost:4321',
        viewer: who,
        ip: '127.0.0.1',
      });
      const post = async (who: TestUser, fields: Record<string, string | string[]>) =>
        handleConsortiumForm(ctx(who), (await consortiumAccess(db, who, consortiumId))!, formOf(fields));
      const opened = (await consortiumAccess(db, anchor.owner, consortiumId))!.members.find((m) => m.id === memberId)!.revision;
      const form = { intent: 'layers', memberId, revision: String(opened) };
      expect(await post(anchor.owner, { ...form, layers: ['data', 'security'] })).toMatchObject({ ok: true });
      const stale = await post(coLead, { ...form, layers: ['applications'] });
      expect(stale).toMatchObject({ ok: false, status: 409, form: 'layers', values: { revision: String(opened + 1) } });
      if (stale.ok) throw new Error('saved');
      expect(stale.conflict!.fields).toEqual([expect.objectContaining({ saved: 'Data, Security', yours: 'Applications' })]);
      const row = await db.selectFrom('consortium_member').selectAll().where('id', '=', memberId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ layers: ['data', 'security'], revision: opened + 1 });
    });

    it('a consultation: two reviewers recording one agency from one form state, one wins', async () => {
      const id = await underReview('Consultation race proposal');
      const record = (who: TestUser, position: string, comments: string, revision: string) =>
        runReviewAction(reviewCtx(who), id, { intent: 'consultation', agency: 'energy', position, comments, revision });
      const results = await Promise.all([
        record(reviewerA, 'concurs', '', '0'),
        record(reviewerB, 'objects', 'Grid capacity is not shown.', '0'),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = results.find((r) => !r.ok);
      if (!refused || refused.ok) throw new Error('both saved');
      expect(refused.conflict!.revision).toBe(1);
      expect(refused.conflict!.fields.length).toBeGreaterThan(0);
      const rows = await db.selectFrom('proposal_consultation').selectAll().where('proposalId', '=', id).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.revision).toBe(1);
      // A stale form later (revision 0 again) is refused; from revision 1 it goes ahead.
      expect(await record(reviewerA, 'concurs-with-conditions', 'Phase 2 only.', '0')).toMatchObject({ ok: false, status: 409 });
      expect(await record(reviewerA, 'concurs-with-conditions', 'Phase 2 only.', '1')).toMatchObject({ ok: true });
    });

    it('a reviewer’s scores saved from two windows: the stale one is refused, the first stays', async () => {
      const id = await underReview('Scores race proposal');
      const opened = (
        await db
          .selectFrom('proposal_review')
          .select('revision')
          .where('proposalId', '=', id)
          .where('reviewerId', '=', reviewerA.id)
          .executeTakeFirstOrThrow()
      ).revision;
      const scores = (value: number, comment: string) =>
        runReviewAction(reviewCtx(reviewerA), id, { intent: 'scores', ...allScores(value), comment, revision: String(opened) });
      const [a, b] = await Promise.all([scores(5, 'Window one.'), scores(2, 'Window two.')]);
      expect([a, b].map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = [a, b].find((r) => !r.ok);
      if (!refused || refused.ok) throw new Error('both saved');
      expect(refused.errors.form).toBe(t('review.error.scores.conflict'));
      const row = await db
        .selectFrom('proposal_review')
        .selectAll()
        .where('proposalId', '=', id)
        .where('reviewerId', '=', reviewerA.id)
        .executeTakeFirstOrThrow();
      expect(row.revision).toBe(opened + 1);
      expect(row.comment).toBe(a.ok ? 'Window one.' : 'Window two.');
    });

    it('a member’s role in an organization: a change from an out-of-date page is refused', async () => {
      const org = await addOrganization(db, { kind: 'buyer', legalName: 'Role Race Clinic', country: 'KE' });
      const member = await db
        .selectFrom('member')
        .select('id')
        .where('organizationId', '=', org.organizationId)
        .where('userId', '=', org.member.id)
        .executeTakeFirstOrThrow();
      // Another manager made them an administrator after this page was opened (showing "member").
      await db.updateTable('member').set({ role: 'admin' }).where('id', '=', member.id).execute();
      const result = await handleOrganizationForm(
        { db, auth: undefined as unknown as Auth, sectors: reference.sectors, viewer: org.owner, headers: new Headers() },
        (await organizationAccess(db, org.owner, org.organizationId))!,
        formOf({ intent: 'role', memberId: member.id, role: 'owner', previousRole: 'member' }),
      );
      expect(result).toMatchObject({ ok: false, status: 409 });
      if (!result.ok) expect(result.conflict!.fields[0]).toMatchObject({ saved: 'Administrator', yours: 'Owner' });
      expect((await db.selectFrom('member').select('role').where('id', '=', member.id).executeTakeFirstOrThrow()).role).toBe(
        'admin',
      );
    });

    it('an officer’s territory and a site role: a change from an out-of-date page is refused', async () => {
      const officer = await addOfficer(db, 'Territory Race Officer', 'country', 'KE');
      const ctx = (who: TestUser): AdminContext => ({
        db,
        auth: undefined as unknown as Auth,
        reference,
        actor: { id: who.id, email: who.email },
        ip: '127.0.0.1',
        headers: new Headers(),
      });
      const shown = encodeTerritory(await getTerritory(db, officer.id));
      expect(
        await runUserAction(ctx(adminA), officer.id, {
          action: 'territory',
          countries: ['KE', 'TZ'],
          regions: [],
          previousTerritory: shown,
        }),
      ).toEqual({ ok: true, done: 'territory' });
      const stale = await runUserAction(ctx(adminB), officer.id, {
        action: 'territory',
        countries: ['UG'],
        regions: ['african-union'],
        previousTerritory: shown,
      });
      expect(stale).toMatchObject({ ok: false, status: 409, errors: { countries: t('admin.error.conflict') } });
      if (!stale.ok) expect(stale.conflict!.fields[0]).toMatchObject({ saved: 'KE, TZ', yours: 'African Union, UG' });
      if (!stale.ok) expect(stale.conflict!.by).toBe(adminA.name);
      expect(await getTerritory(db, officer.id)).toEqual({ countries: ['KE', 'TZ'], regions: [] });

      // Roles: both administrators saw "officer".
      const [a, b] = await Promise.all([
        runUserAction(ctx(adminA), officer.id, { action: 'role', role: 'reviewer', previousRole: 'officer' }),
        runUserAction(ctx(adminB), officer.id, { action: 'role', role: 'buyer', previousRole: 'officer' }),
      ]);
      expect([a, b].map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const role = (await db.selectFrom('user').select('role').where('id', '=', officer.id).executeTakeFirstOrThrow()).role;
      expect(role).toBe(a.ok ? 'reviewer' : 'buyer');
      expect(n(await count('role-changed', officer.id))).toBe(1);
    });
  });

  describe('double submits: one effect, a clear answer to the second', () => {
    it('a proposal submitted twice at once is submitted once', async () => {
      const id = await newProposal('Double submitted proposal');
      const submit = () =>
        moveProposal(db, reference.policy, {
          proposalId: id,
          move: 'submit',
          actor: { id: anchor.owner.id, email: anchor.owner.email, side: 'consortium' },
        });
      const results = await Promise.all([submit(), submit()]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, reason: 'not-allowed-from-state' });
      const transitions = await db.selectFrom('proposal_transition').selectAll().where('proposalId', '=', id).execute();
      expect(transitions.map((tr) => tr.move)).toEqual(['submit']);
      expect(await db.selectFrom('proposal_version').select('number').where('proposalId', '=', id).execute()).toHaveLength(1);
      expect(n(await count('proposal-moved', id))).toBe(1);
    });

    it('a consortium invitation accepted twice at once: one membership, the second told it was answered', async () => {
      const company = await addOrganization(db, { kind: 'supplier', legalName: 'Invited Twice Inc.', country: 'US' });
      const memberId = await addConsortiumMember(db, consortiumId, {
        organizationId: null,
        legalName: 'Invited Twice Inc.',
        layers: ['security'],
        status: 'invited',
        invitedEmail: company.owner.email,
      });
      const ctx: ConsortiumContext = {
        db,
        policy: reference.policy,
        countryName: reference.countryName,
        mailer,
        siteUrl: 'http://localhost:4321',
        viewer: company.owner,
        ip: '127.0.0.1',
      };
      const accept = async () =>
        answerConsortiumInvitation(
          ctx,
          (await consortiumInvitationFor(db, company.owner, memberId))!,
          formOf({ answer: 'accept', organizationId: company.organizationId }),
        );
      const results = await Promise.all([accept(), accept()]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) expect(Object.values(refused.errors)).toContain(t('consortia.invitation.answered'));
      const rows = await db
        .selectFrom('consortium_member')
        .selectAll()
        .where('consortiumId', '=', consortiumId)
        .where('organizationId', '=', company.organizationId)
        .execute();
      expect(rows.map((r) => r.status)).toEqual(['active']);
      const events = await db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'consortium-changed')
        .where('subjectId', '=', consortiumId)
        .execute();
      expect(events.filter((e) => e.details.memberId === memberId && e.details.change === 'invitation-accepted')).toHaveLength(1);
    });
  });

  it('an organization invitation accepted twice at once: one membership, the second a clear 409', async () => {
    const auth = testAuth(db, 'http://localhost:4470');
    const password = 'concurrency integration test passphrase';
    const signIn = async (email: string) => {
      const { headers } = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
      return new Headers({
        cookie: headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      });
    };
    const person = async (email: string, name: string) => {
      const { id } = await ensureUser(auth, db, { email, name, password, role: 'supplier' });
      return { id, email, name, role: 'supplier' as const, headers: await signIn(email) };
    };
    const owner = await person('owner@twice.example.com', 'Owen Owner');
    const invitee = await person('invitee@twice.example.com', 'Iris Invitee');
    const organizationId = await createOrganizationFor(db, owner.id, 'supplier', companyProfile('Twice Accepted Compute Inc.'));
    const invited = await auth.api.createInvitation({
      body: { email: invitee.email, role: 'member', organizationId },
      headers: owner.headers,
    });
    const ctx = { db, auth, sectors: reference.sectors, viewer: invitee, headers: invitee.headers, ip: '127.0.0.1' };
    const accept = async () => answerInvitation(ctx, (await invitationFor(db, invitee, invited.id))!, 'accept');
    const results = await Promise.all([accept(), accept()]);
    expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
    const members = await db
      .selectFrom('member')
      .select('role')
      .where('organizationId', '=', organizationId)
      .where('userId', '=', invitee.id)
      .execute();
    expect(members).toHaveLength(1);
    const joined = await db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'membership-changed')
      .where('subjectId', '=', organizationId)
      .execute();
    expect(joined.filter((e) => e.details.change === 'joined')).toHaveLength(1);
  });

  describe('vetting and introductions', () => {
    let vetting: VettingServices;
    let intro: IntroductionServices;
    let officerKe: TestUser;
    let officerAu: TestUser;
    let buyer: { organizationId: string; owner: TestUser; member: TestUser };
    let slug: string;

    beforeAll(async () => {
      vetting = { db, admin: clients.admin, reference, mailer, config: { siteUrl: 'http://localhost:4321' } };
      intro = { db, reference, mailer, config: { siteUrl: 'http://localhost:4321' } };
      officerKe = await addOfficer(db, 'Officer Kenya Desk', 'country', 'KE');
      officerAu = await addOfficer(db, 'Officer Union Desk', 'region', 'african-union');
      buyer = await addOrganization(db, {
        kind: 'buyer',
        legalName: 'Highland Referral Hospital',
        country: 'KE',
        organizationType: 'hospital',
        sectors: ['healthcare'],
      });
      const proposal = await db
        .insertInto('proposal')
        .values({ consortiumId, state: 'designated', draft: '{}', submittedAt: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const pkg = await upsertPackage(db, buildPackage({ slug: 'concurrency-telehealth', targetCountries: ['KE'] }), {
        proposalId: proposal.id,
      });
      await db.updateTable('proposal').set({ packageId: pkg.id }).where('id', '=', proposal.id).execute();
      slug = pkg.slug;
    });

    const vettingRequest = { alternateNames: '', endUse: 'Telemedicine for district hospitals', endUsers: 'Our own hospitals' };

    it('a verification asked for twice at once: one request, the second told one is open', async () => {
      const results = await Promise.all([
        requestVetting(vetting, buyer.owner, buyer.organizationId, vettingRequest),
        requestVetting(vetting, buyer.owner, buyer.organizationId, vettingRequest),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) expect(refused.errors.form).toBe(t('vetting.error.open'));
      const rows = await db.selectFrom('vetting').selectAll().where('organizationId', '=', buyer.organizationId).execute();
      expect(rows.map((r) => r.state)).toEqual(['pending']);
      expect(n(await count('vetting-requested', rows[0]!.id))).toBe(1);
    });

    it('two officers deciding one request at once: one decision, the other a clear 409', async () => {
      const request = await db
        .selectFrom('vetting')
        .select('id')
        .where('organizationId', '=', buyer.organizationId)
        .executeTakeFirstOrThrow();
      const results = await Promise.all([
        decideVetting(vetting, officerKe, request.id, { move: 'verify', reason: 'Clean screening, documents in order.' }),
        decideVetting(vetting, officerAu, request.id, { move: 'reject', reason: 'Could not confirm the end use.' }),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) expect(refused.errors.form).toBe(t('vetting.error.state'));
      const winner = results.find((r) => r.ok);
      const row = await db.selectFrom('vetting').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
      expect(winner).toMatchObject({ state: row.state });
      expect(['verified', 'rejected']).toContain(row.state);
      const events = await db.selectFrom('vetting_event').select('move').where('vettingId', '=', request.id).execute();
      expect(events.map((e) => e.move).sort()).toEqual(['request', row.state === 'verified' ? 'verify' : 'reject'].sort());
      expect(n(await count('vetting-decided', request.id))).toBe(1);
      if (row.state !== 'verified') {
        // The rest of this block needs a verified buyer.
        await db
          .updateTable('vetting')
          .set({ state: 'verified', expiresAt: new Date('2099-01-01T00:00:00Z') })
          .where('id', '=', request.id)
          .execute();
      }
    });

    const introRequest = {
      needs: 'Telemedicine and clinic triage for district hospitals',
      timeline: 'Pilot within 6 months',
      budgetBand: '10m-50m',
      deploymentModel: 'hybrid',
      financingInterest: 'yes',
      participants: 'Our CIO and the Ministry of Health',
    };
    let introId = '';

    it('an introduction request sent twice at once: one introduction, the second told one is open', async () => {
      const results = await Promise.all([
        requestIntroduction(intro, buyer.owner as IntroductionUser, slug, introRequest),
        requestIntroduction(intro, buyer.member as IntroductionUser, slug, introRequest),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) expect(refused.errors.form).toBe(t('intro.error.duplicate'));
      const rows = await db
        .selectFrom('introduction')
        .selectAll()
        .where('buyerOrganizationId', '=', buyer.organizationId)
        .execute();
      expect(rows).toHaveLength(1);
      introId = rows[0]!.id;
      expect(n(await count('introduction-requested', introId))).toBe(1);
    });

    it('two officers taking one introduction at once: one takes it', async () => {
      const results = await Promise.all([
        moveIntroduction(intro, officerKe as IntroductionUser, introId, { move: 'take' }),
        moveIntroduction(intro, officerAu as IntroductionUser, introId, { move: 'take' }),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const row = await db.selectFrom('introduction').selectAll().where('id', '=', introId).executeTakeFirstOrThrow();
      expect(row.state).toBe('taken');
      expect([officerKe.id, officerAu.id]).toContain(row.officerId);
      expect(
        await moveIntroduction(intro, officerKe as IntroductionUser, introId, { move: 'broker', note: 'Please meet them.' }),
      ).toMatchObject({ ok: true, state: 'brokered' });
    });

    it('an introduction accepted and refused at once by the consortium: exactly one answer counts', async () => {
      const [accepted, refused] = await Promise.all([
        moveIntroduction(intro, anchor.owner as IntroductionUser, introId, { move: 'accept', note: 'Tuesday at 10:00?' }),
        moveIntroduction(intro, coLead as IntroductionUser, introId, { move: 'refuse', note: 'Not a fit for us now.' }),
      ]);
      const results = [accepted, refused];
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const loser = results.find((r) => !r.ok);
      if (loser && !loser.ok) expect(loser.errors.form).toBe(t('intro.error.state'));
      const row = await db.selectFrom('introduction').selectAll().where('id', '=', introId).executeTakeFirstOrThrow();
      expect(row.state).toBe(accepted.ok ? 'accepted' : 'refused');
      const events = await db.selectFrom('introduction_event').select('move').where('introductionId', '=', introId).execute();
      expect(events.filter((e) => e.move === 'accept' || e.move === 'refuse')).toHaveLength(1);
      const moves = await db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'introduction-moved')
        .where('subjectId', '=', introId)
        .orderBy('id')
        .execute();
      expect(moves.map((m) => m.details.move)).toEqual(['take', 'broker', accepted.ok ? 'accept' : 'refuse']);
    });
  });

  describe('parallel decisions on a proposal', () => {
    it('two reviewers designating and returning one proposal at once: exactly one move wins', async () => {
      const id = await underReview('Parallel decision proposal');
      for (const agency of AGENCIES)
        expect(
          await runReviewAction(reviewCtx(reviewerB), id, { intent: 'consultation', agency, position: 'concurs', comments: '' }),
        ).toMatchObject({ ok: true });
      const [designate, giveBack] = await Promise.all([
        runReviewAction(reviewCtx(reviewerA), id, {
          intent: 'move',
          move: 'designate',
          reason: 'Meets every criterion.',
          feedback: 'Congratulations.',
        }),
        runReviewAction(reviewCtx(reviewerB), id, {
          intent: 'move',
          move: 'return',
          reason: 'The hardware share is unclear.',
          feedback: 'Please show the U.S. share of the hardware layer.',
        }),
      ]);
      const results = [designate, giveBack];
      expect(results.map((r) => (r.ok ? 'ok' : r.status)).sort()).toEqual([409, 'ok']);
      const proposal = await db.selectFrom('proposal').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(proposal.state).toBe(designate.ok ? 'designated' : 'returned');
      // A package exists only if the designation won.
      expect(Boolean(proposal.packageId)).toBe(designate.ok);
      const transitions = await db
        .selectFrom('proposal_transition')
        .select(['move', 'fromState', 'toState'])
        .where('proposalId', '=', id)
        .orderBy('id')
        .execute();
      expect(transitions.map((tr) => tr.move)).toEqual(['submit', 'take', designate.ok ? 'designate' : 'return']);
      expect(transitions.at(-1)).toMatchObject({ fromState: 'under-review', toState: proposal.state });
      const moves = await db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'proposal-moved')
        .where('subjectId', '=', id)
        .orderBy('id')
        .execute();
      expect(moves.map((m) => m.details.move)).toEqual(['submit', 'take', designate.ok ? 'designate' : 'return']);
    });
  });
});
