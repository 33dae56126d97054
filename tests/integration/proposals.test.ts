import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth } from '../../src/lib/auth/index.ts';
import { createOrganizationFor, ensureUser } from '../../src/lib/auth/users.ts';
import { loadReference, type Reference } from '../../src/lib/reference/index.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { LocalDiskStore, sha256Hex } from '../../src/lib/files/index.ts';
import { proposalAccess, type ProposalViewer } from '../../src/lib/proposals/access.ts';
import {
  addAttachment,
  compareVersions,
  mergeSection,
  parseVersionPair,
  problemText,
  proposalChecklist,
  saveSection,
  startProposal,
  valuesFromDraft,
  type FormValues,
} from '../../src/lib/proposals/editor.ts';
import { SECTIONS, type Section } from '../../src/lib/proposals/content.ts';
import { moveProposal } from '../../src/lib/proposals/workflow.ts';
import {
  findProposalAttachment,
  findVersion,
  listFeedback,
  listProposalAttachments,
  listProposalsForUser,
  listVersions,
} from '../../db/queries/proposals.ts';
import { testAuth } from '../fixtures/accounts.ts';
import { addConsortium, addConsortiumMember } from '../fixtures/consortia.ts';
import { testDb } from '../fixtures/db.ts';
import { tinyPdf, uploadRequest } from '../fixtures/files.ts';
import { buildPackage } from '../fixtures/packages.ts';
import { addMember, companyProfile } from '../fixtures/people.ts';

const PASSWORD = 'proposals integration test passphrase';
const t = useTranslations();
const enc = (s: string) => new TextEncoder().encode(s);

describe(`proposal editor on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let auth: Auth;
  let reference: Reference;
  let consortiumId: string;
  let proposalId: string;
  let filesDir: string;
  let store: LocalDiskStore;
  const people = {} as Record<
    'lead' | 'colleague' | 'partner' | 'outsider' | 'reviewer' | 'admin',
    ProposalViewer & { id: string; email: string }
  >;

  const actor = (who: keyof typeof people) => ({ id: people[who].id, email: people[who].email, ip: '127.0.0.1' });
  const save = (section: Section, values: FormValues, who: keyof typeof people = 'lead') =>
    saveSection(handle.db, { proposalId, section, values, actor: actor(who), reference, t });
  const draftOf = async () =>
    (await handle.db.selectFrom('proposal').select('draft').where('id', '=', proposalId).executeTakeFirstOrThrow()).draft;

  beforeAll(async () => {
    handle = await testDb();
    reference = await loadReference();
    filesDir = mkdtempSync(join(tmpdir(), 'aix-files-'));
    store = new LocalDiskStore(join(filesDir, 'files'));
    auth = testAuth(handle.db, 'http://localhost:4460');
    const accounts = [
      ['lead', 'lead@anchor.example.com', 'supplier'],
      ['colleague', 'colleague@anchor.example.com', 'supplier'],
      ['partner', 'partner@member.example.com', 'supplier'],
      ['outsider', 'outsider@elsewhere.example.com', 'supplier'],
      ['reviewer', 'reviewer@commerce.example.gov', 'reviewer'],
      ['admin', 'admin@commerce.example.gov', 'admin'],
    ] as const;
    for (const [key, email, role] of accounts) {
      const { id } = await ensureUser(auth, handle.db, { email, name: key, password: PASSWORD, role });
      people[key] = { id, email, role };
    }
    const profile = (legalName: string) => companyProfile(legalName, { sectors: ['healthcare'] });
    const anchorOrg = await createOrganizationFor(handle.db, people.lead.id, 'supplier', profile('Anchor Test Systems Inc.'));
    const memberOrg = await createOrganizationFor(handle.db, people.partner.id, 'supplier', profile('Second Test Data LLC'));
    await createOrganizationFor(handle.db, people.outsider.id, 'supplier', profile('Elsewhere Corp.'));
    // The colleague is a plain member of the anchor organization: sees, does not edit.
    await addMember(handle.db, anchorOrg, people.colleague.id, 'member');

    consortiumId = await addConsortium(handle.db, {
      name: 'Test Health Stack Consortium',
      anchorOrganizationId: anchorOrg,
      createdBy: people.lead.id,
      members: [
        { organizationId: anchorOrg, role: 'anchor', legalName: 'Anchor Test Systems Inc.', layers: ['hardware', 'models'] },
        {
          organizationId: memberOrg,
          role: 'member',
          legalName: 'Second Test Data LLC',
          layers: ['data', 'security', 'applications'],
        },
      ],
    });
  });
  afterAll(async () => {
    await handle?.close();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('lets only the anchor organization’s owners and admins start a proposal', async () => {
    expect(await startProposal(handle.db, consortiumId, actor('outsider'))).toBeUndefined();
    expect(await startProposal(handle.db, consortiumId, actor('colleague'))).toBeUndefined();
    expect(await startProposal(handle.db, consortiumId, actor('partner'))).toBeUndefined();
    proposalId = (await startProposal(handle.db, consortiumId, actor('lead')))!;
    expect(proposalId).toMatch(/^[0-9a-f-]{36}$/);
    const row = await handle.db.selectFrom('proposal').selectAll().where('id', '=', proposalId).executeTakeFirstOrThrow();
    expect(row.state).toBe('draft');
    expect((await listProposalsForUser(handle.db, people.partner.id)).map((p) => p.id)).toEqual([proposalId]);
    expect(await listProposalsForUser(handle.db, people.outsider.id)).toEqual([]);
  });

  it('shows a draft to the consortium only: not to outsiders, nor to reviewers before it is submitted', async () => {
    const lead = await proposalAccess(handle.db, people.lead, proposalId);
    expect(lead).toMatchObject({ isMember: true, isLead: true, canEdit: true, moves: ['submit', 'withdraw'] });
    const colleague = await proposalAccess(handle.db, people.colleague, proposalId);
    expect(colleague).toMatchObject({ isMember: true, isLead: false, canEdit: false, moves: [] });
    const partner = await proposalAccess(handle.db, people.partner, proposalId);
    expect(partner).toMatchObject({ isMember: true, canEdit: false });
    expect(await proposalAccess(handle.db, people.outsider, proposalId)).toBeUndefined();
    expect(await proposalAccess(handle.db, people.reviewer, proposalId)).toBeUndefined();
    expect(await proposalAccess(handle.db, people.admin, proposalId)).toBeUndefined();
    expect(await proposalAccess(handle.db, undefined, proposalId)).toBeUndefined();
    expect(await proposalAccess(handle.db, people.lead, 'not-a-uuid')).toBeUndefined();
    expect(await proposalAccess(handle.db, people.lead, randomUUID())).toBeUndefined();
  });

  it('saves a section leniently and lists what is missing', async () => {
    const saved = await save('overview', { title: ['  Clinic AI for Kenya  '], summary: [''], sectors: ['healthcare'] });
    expect(saved.ok).toBe(true);
    const draft = await draftOf();
    expect(draft).toMatchObject({ title: 'Clinic AI for Kenya', sectors: ['healthcare'] });
    expect(draft).not.toHaveProperty('summary');

    const hardware = await save('hardware', {
      supplied: ['yes'],
      usOriginContentPct: ['62.5'],
      'offerings.0.name': ['Inference servers'],
      'offerings.0.description': [''],
      'offerings.1.name': [''],
      'offerings.1.description': [''],
    });
    expect(hardware.ok).toBe(true);
    expect(((await draftOf()).layers as any).hardware).toEqual({
      supplied: true,
      usOriginContentPct: 62.5,
      offerings: [{ name: 'Inference servers' }],
    });

    const items = proposalChecklist(await draftOf());
    expect(items.map((i) => i.section)).toEqual([...SECTIONS]);
    expect(items.every((i) => !i.complete)).toBe(true);
    const overview = items.find((i) => i.section === 'overview')!;
    expect(overview.problems.map((p) => p.path).sort()).toEqual(['description', 'summary']);
    expect(problemText(t, overview.problems[0]!)).toMatch(/: missing or not valid$/);
    const data = items.find((i) => i.section === 'data')!;
    expect(data.complete).toBe(false);
    expect(items.find((i) => i.section === 'markets')!.problems.map((p) => problemText(t, p))).toContain(
      'Name at least one target country or regional bloc',
    );

    const events = await handle.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subjectId', '=', proposalId)
      .where('action', '=', 'proposal-saved')
      .execute();
    expect(events.map((e) => e.details.section)).toEqual(expect.arrayContaining(['overview', 'hardware']));
  });

  it('checks types and refuses bad input with field errors, keeping the draft as it was', async () => {
    const before = await draftOf();
    const bad = await save('hardware', { supplied: ['maybe'], usOriginContentPct: ['lots'], summary: ['x'.repeat(2001)] });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(['summary', 'supplied', 'usOriginContentPct']);
    expect(bad.errors.usOriginContentPct).toMatch(/from 0 to 100/);
    expect((await save('hardware', { usOriginContentPct: ['101'] })).ok).toBe(false);
    expect((await save('overview', { sectors: ['space-tourism'] })).ok).toBe(false);
    expect((await save('markets', { targetCountries: ['ZZ'] })).ok).toBe(false);
    const money = await save('financing', {
      'financing.0.tool': ['exim-direct-loans'],
      'financing.0.note': ['x'],
      'financing.0.amountUsd': ['-5'],
    });
    expect(money.ok === false && money.errors['financing.0.amountUsd']).toMatch(/whole number/);
    const contact = await save('contacts', { 'contacts.1.email': ['not-an-email'] });
    expect(contact.ok === false && contact.errors['contacts.1.email']).toMatch(/Contact 2/);
    expect(await draftOf()).toEqual(before);
  });

  it('refuses to submit while sections are incomplete, with the sections', async () => {
    const result = await moveProposal(handle.db, reference.policy, {
      proposalId,
      move: 'submit',
      actor: { ...actor('lead'), side: 'consortium' },
    });
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'incomplete') throw new Error(`expected incomplete, got ${JSON.stringify(result)}`);
    expect(result.sections).toEqual(expect.arrayContaining(['overview', 'data', 'markets', 'compliance', 'contacts']));
    expect(result.sections).toContain('hardware');
  });

  it('completes every section through the forms, refuses an ineligible member, then submits version 1', async () => {
    const pkg = buildPackage({ title: 'Clinic AI for Kenya', targetRegions: ['african-union'] });
    const complete = {
      ...pkg,
      compliance: { ...pkg.compliance, attestation: { name: 'Pat Tester', title: 'General Counsel', confirmed: true } },
    };
    for (const section of SECTIONS) {
      const values = valuesFromDraft(complete, section);
      const result = await save(section, values);
      expect(result, section).toMatchObject({ ok: true });
    }
    const draft = await draftOf();
    expect(proposalChecklist(draft).filter((i) => !i.complete)).toEqual([]);
    expect((draft.layers as any).applications.offerings[0].sector).toBe('healthcare');
    expect((draft.compliance as any).attestation).toEqual({ name: 'Pat Tester', title: 'General Counsel', confirmed: true });

    // Unticking the confirmation makes compliance incomplete again.
    const compliance = valuesFromDraft(draft, 'compliance');
    delete compliance.confirmed;
    expect((await save('compliance', compliance)).ok).toBe(true);
    expect(
      proposalChecklist(await draftOf())
        .find((i) => i.section === 'compliance')!
        .problems.map((p) => problemText(t, p)),
    ).toEqual(['The attestation must be confirmed by a named person']);
    expect((await save('compliance', valuesFromDraft(complete, 'compliance'))).ok).toBe(true);

    const shady = await addConsortiumMember(handle.db, consortiumId, {
      organizationId: null,
      role: 'member',
      legalName: 'Harbour Models Ltd.',
      countryOfIncorporation: 'HK',
      headquartersCountry: 'HK',
      layers: ['models'],
    });
    const refused = await moveProposal(handle.db, reference.policy, {
      proposalId,
      move: 'submit',
      actor: { ...actor('lead'), side: 'consortium' },
    });
    expect(refused).toMatchObject({ ok: false, reason: 'ineligible', members: [{ legalName: 'Harbour Models Ltd.' }] });
    if (!refused.ok && refused.reason === 'ineligible')
      expect(refused.members[0]!.problems).toContain('layer-provider-in-country-of-concern');
    await handle.db.updateTable('consortium_member').set({ status: 'removed' }).where('id', '=', shady).execute();

    const submitted = await moveProposal(handle.db, reference.policy, {
      proposalId,
      move: 'submit',
      actor: { ...actor('lead'), side: 'consortium' },
    });
    expect(submitted).toMatchObject({ ok: true, state: 'submitted' });
    const versions = await listVersions(handle.db, proposalId);
    expect(versions.map((v) => v.number)).toEqual([1]);
    const v1 = await findVersion(handle.db, proposalId, 1);
    expect(v1!.content).toMatchObject({ title: 'Clinic AI for Kenya', consortium: { name: 'Test Health Stack Consortium' } });
  });

  it('after submission: reviewers see it, nobody edits it, outsiders still do not see it', async () => {
    expect(await proposalAccess(handle.db, people.reviewer, proposalId)).toMatchObject({
      asStaff: true,
      canEdit: false,
      moves: [],
    });
    expect(await proposalAccess(handle.db, people.admin, proposalId)).toMatchObject({ asStaff: true, canEdit: false });
    expect(await proposalAccess(handle.db, people.lead, proposalId)).toMatchObject({ canEdit: false, moves: [] });
    expect(await proposalAccess(handle.db, people.outsider, proposalId)).toBeUndefined();
    const refused = await save('overview', { title: ['Changed after submission'] });
    expect(refused).toMatchObject({ ok: false, status: 409 });
  });

  it('shows the consortium the feedback, not the internal reason; a revision makes version 2, compared by section', async () => {
    const reviewer = { id: people.reviewer.id, email: people.reviewer.email, side: 'reviewer' as const };
    expect((await moveProposal(handle.db, reference.policy, { proposalId, move: 'take', actor: reviewer })).ok).toBe(true);
    const returned = await moveProposal(handle.db, reference.policy, {
      proposalId,
      move: 'return',
      actor: reviewer,
      reason: 'INTERNAL: Energy has concerns about grid capacity.',
      feedback: 'Please describe the power supply for the data hall.',
    });
    expect(returned).toMatchObject({ ok: true, state: 'returned' });
    const feedback = await listFeedback(handle.db, proposalId);
    expect(feedback.map((f) => f.feedback)).toContain('Please describe the power supply for the data hall.');
    expect(JSON.stringify(feedback)).not.toContain('INTERNAL');

    expect((await proposalAccess(handle.db, people.lead, proposalId))!.canEdit).toBe(true);
    const overview = valuesFromDraft(await draftOf(), 'overview');
    overview.description = ['A clinic network with <b>solar</b> power & battery storage.'];
    expect((await save('overview', overview)).ok).toBe(true);
    expect(
      (
        await moveProposal(handle.db, reference.policy, {
          proposalId,
          move: 'submit',
          actor: { ...actor('lead'), side: 'consortium' },
        })
      ).ok,
    ).toBe(true);
    expect((await listVersions(handle.db, proposalId)).map((v) => v.number)).toEqual([1, 2]);

    const [v1, v2] = await Promise.all([findVersion(handle.db, proposalId, 1), findVersion(handle.db, proposalId, 2)]);
    const diff = compareVersions(v1!.content, v2!.content);
    expect(diff.filter((d) => d.changed).map((d) => d.section)).toEqual(['overview']);
    expect(diff.find((d) => d.section === 'overview')!.fields).toEqual([
      {
        path: 'description',
        before: expect.stringContaining('Built by tests/fixtures'),
        after: 'A clinic network with <b>solar</b> power & battery storage.',
      },
    ]);
    expect(compareVersions(v1!.content, v1!.content).every((d) => !d.changed)).toBe(true);

    expect(parseVersionPair('1', '2')).toEqual({ a: 1, b: 2 });
    for (const [a, b] of [
      ['0', '1'],
      ['x', '2'],
      ['1', null],
      ['1.5', '2'],
      ['-1', '2'],
      ['1', '9999999'],
    ] as [string, string | null][])
      expect(parseVersionPair(a, b)).toBeUndefined();
  });

  it('stores files on disk: put, get, delete, and no keys outside the store', async () => {
    const bytes = tinyPdf();
    await store.put('proposals/x/a.pdf', bytes);
    const got = await store.get('proposals/x/a.pdf');
    expect(got?.size).toBe(bytes.length);
    expect(await got!.bytes()).toEqual(bytes);
    const streamed = new Uint8Array(await new Response(got!.stream()).arrayBuffer());
    expect(sha256Hex(streamed)).toBe(sha256Hex(bytes));
    await store.delete('proposals/x/a.pdf');
    expect(await store.get('proposals/x/a.pdf')).toBeUndefined();
    await store.delete('proposals/x/a.pdf');
    await expect(store.put('../escape.pdf', bytes)).rejects.toThrow(/key/);
    await expect(store.get('/etc/passwd')).rejects.toThrow(/key/);
  });

  it('accepts a real PDF as an attachment and refuses a non-PDF named .pdf and an oversized file', async () => {
    const pdf = tinyPdf();
    const intake = { db: handle.db, store, tempDir: join(filesDir, 'uploads'), t };
    const added = await addAttachment(intake, { proposalId, request: uploadRequest(pdf, 'Site plan.pdf'), actor: actor('lead') });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    const rows = await listProposalAttachments(handle.db, proposalId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: added.id, filename: 'Site plan.pdf', size: pdf.length, sha256: sha256Hex(pdf) });
    const row = await findProposalAttachment(handle.db, proposalId, added.id);
    expect(row!.contentType).toBe('application/pdf');
    expect(await (await store.get(row!.storageKey))!.bytes()).toEqual(pdf);
    const audit = await handle.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'attachment-added')
      .where('subjectId', '=', proposalId)
      .executeTakeFirst();
    expect(audit?.details).toMatchObject({ attachmentId: added.id, sha256: sha256Hex(pdf) });

    const fake = await addAttachment(intake, {
      proposalId,
      request: uploadRequest(enc('MZ\x90\x00 this is an executable, honest'), 'budget.pdf'),
      actor: actor('lead'),
    });
    expect(fake).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/not a PDF/) });

    const huge = new Uint8Array(20 * 1024 * 1024 + 1);
    huge.set(pdf.slice(0, 9));
    const tooBig = await addAttachment(intake, { proposalId, request: uploadRequest(huge, 'huge.pdf'), actor: actor('lead') });
    expect(tooBig).toMatchObject({ ok: false, status: 413 });
    expect(await addAttachment(intake, { proposalId, request: uploadRequest(null), actor: actor('lead') })).toMatchObject({
      ok: false,
      status: 400,
    });
    // Nothing received is left in the upload directory.
    expect(await readdir(join(filesDir, 'uploads'))).toEqual([]);

    expect(await listProposalAttachments(handle.db, proposalId)).toHaveLength(1);
    const files = await readdir(join(store.root, 'proposals', proposalId));
    expect(files).toEqual([`${added.id}.pdf`]);

    // Attachments are looked up within a proposal the viewer may see; others get nothing.
    expect(await findProposalAttachment(handle.db, randomUUID(), added.id)).toBeUndefined();
    expect(await findProposalAttachment(handle.db, proposalId, 'nope')).toBeUndefined();
    expect(await proposalAccess(handle.db, people.outsider, proposalId)).toBeUndefined();
  });

  it('merges sections without touching the others', () => {
    const merged = mergeSection({ title: 'T', layers: { hardware: { supplied: true } } }, 'data', { supplied: false });
    expect(merged).toMatchObject({ title: 'T', layers: { hardware: { supplied: true }, data: { supplied: false }, models: {} } });
  });
});
