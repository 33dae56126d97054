import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { IntroductionEventRow, IntroductionMessageRow, IntroductionRow } from '../schema/introduction.ts';
import { isUuid } from './ids.ts';
import { hasOrgRole } from './organizations.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Mirrors OPEN_STATES of src/lib/introductions/state.ts (the queries do not import application code). */
export const OPEN_INTRODUCTION_STATES = ['requested', 'taken', 'info-requested', 'brokered', 'accepted', 'meeting-held'] as const;
/** States the consortium has reached the introduction in: from the brief on. */
export const BROKERED_STATES = ['brokered', 'accepted', 'refused', 'meeting-held', 'closed'] as const;

/** An introduction with what every view of it shows: the package, the buyer, the consortium. */
export interface IntroductionDetail extends IntroductionRow {
  packageSlug: string;
  packageTitle: string;
  packageStatus: string;
  buyerName: string;
  buyerLegalName: string | null;
  buyerCountry: string | null;
  buyerSectors: string[] | null;
  consortiumId: string | null;
  consortiumName: string | null;
  anchorOrganizationId: string | null;
  officerName: string | null;
  requesterName: string | null;
}

function withDetail(db: Db) {
  return db
    .selectFrom('introduction')
    .innerJoin('package', 'package.id', 'introduction.packageId')
    .innerJoin('organization as buyer', 'buyer.id', 'introduction.buyerOrganizationId')
    .leftJoin('organization_profile as buyerProfile', 'buyerProfile.organizationId', 'introduction.buyerOrganizationId')
    .leftJoin('proposal', 'proposal.id', 'package.proposalId')
    .leftJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .leftJoin('user as officer', 'officer.id', 'introduction.officerId')
    .leftJoin('user as requester', 'requester.id', 'introduction.requestedBy')
    .selectAll('introduction')
    .select([
      'package.slug as packageSlug',
      'package.title as packageTitle',
      'package.status as packageStatus',
      'buyer.name as buyerName',
      'buyerProfile.legalName as buyerLegalName',
      'buyerProfile.country as buyerCountry',
      'buyerProfile.sectors as buyerSectors',
      'consortium.id as consortiumId',
      'consortium.name as consortiumName',
      'consortium.anchorOrganizationId as anchorOrganizationId',
      'officer.name as officerName',
      'requester.name as requesterName',
    ]);
}

export function findIntroduction(db: Db, id: string): Promise<IntroductionDetail | undefined> {
  if (!isUuid(id)) return Promise.resolve(undefined);
  return withDetail(db).where('introduction.id', '=', id).executeTakeFirst();
}

/** Locks the buyer organization's row: requests of one organization are made one at a time (limits hold). */
export async function lockOrganization(db: Transaction<Database>, organizationId: string): Promise<void> {
  await db.selectFrom('organization').select('id').where('id', '=', organizationId).forUpdate().execute();
}

export async function countOpenIntroductions(db: Db, buyerOrganizationId: string): Promise<number> {
  const row = await db
    .selectFrom('introduction')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('buyerOrganizationId', '=', buyerOrganizationId)
    .where('state', 'in', [...OPEN_INTRODUCTION_STATES])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findOpenIntroductionFor(
  db: Db,
  buyerOrganizationId: string,
  packageId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('introduction')
    .select('id')
    .where('buyerOrganizationId', '=', buyerOrganizationId)
    .where('packageId', '=', packageId)
    .where('state', 'in', [...OPEN_INTRODUCTION_STATES])
    .executeTakeFirst();
}

export interface NewIntroduction {
  buyerOrganizationId: string;
  packageId: string;
  requestedBy: string;
  needs: string;
  timeline: string;
  budgetBand: string;
  deploymentModel: string;
  financingInterest: boolean;
  participants: string;
}

export function insertIntroduction(db: Db, input: NewIntroduction, now: Date): Promise<IntroductionRow> {
  return db
    .insertInto('introduction')
    .values({
      ...input,
      state: 'requested',
      officerId: null,
      brief: null,
      meetingProposal: null,
      outcome: null,
      outcomeNote: null,
      createdAt: now,
      updatedAt: now,
      waitingSince: now,
      remindedAt: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertIntroductionEvent(
  db: Db,
  event: {
    introductionId: string;
    move: string;
    fromState: string;
    toState: string;
    actorId: string | null;
    note: string | null;
    at: Date;
  },
): Promise<void> {
  await db.insertInto('introduction_event').values(event).execute();
}

export interface IntroductionPatch {
  state?: string;
  officerId?: string | null;
  brief?: string | null;
  meetingProposal?: string | null;
  outcome?: string | null;
  outcomeNote?: string | null;
  waitingSince?: Date;
  remindedAt?: Date | null;
}

/** Changes the introduction only if it is still in `fromState`: the updated row, or undefined when it had moved. */
export function updateIntroductionFrom(
  db: Db,
  id: string,
  fromState: string,
  patch: IntroductionPatch,
  now: Date,
): Promise<IntroductionRow | undefined> {
  return db
    .updateTable('introduction')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .where('state', '=', fromState)
    .returningAll()
    .executeTakeFirst();
}

export interface IntroductionEventDetail extends IntroductionEventRow {
  actorName: string | null;
}

export function listIntroductionEvents(db: Db, introductionId: string): Promise<IntroductionEventDetail[]> {
  return db
    .selectFrom('introduction_event')
    .leftJoin('user', 'user.id', 'introduction_event.actorId')
    .selectAll('introduction_event')
    .select(['user.name as actorName'])
    .where('introduction_event.introductionId', '=', introductionId)
    .orderBy('introduction_event.at')
    .orderBy('introduction_event.id')
    .execute();
}

export interface IntroductionMessageDetail extends IntroductionMessageRow {
  authorName: string | null;
}

export function listIntroductionMessages(db: Db, introductionId: string): Promise<IntroductionMessageDetail[]> {
  return db
    .selectFrom('introduction_message')
    .leftJoin('user', 'user.id', 'introduction_message.authorId')
    .selectAll('introduction_message')
    .select(['user.name as authorName'])
    .where('introduction_message.introductionId', '=', introductionId)
    .orderBy('introduction_message.createdAt')
    .orderBy('introduction_message.id')
    .execute();
}

export async function insertIntroductionMessage(
  db: Db,
  message: { introductionId: string; authorId: string; side: 'buyer' | 'officer' | 'consortium'; body: string; createdAt: Date },
): Promise<string> {
  const row = await db.insertInto('introduction_message').values(message).returning('id').executeTakeFirstOrThrow();
  return String(row.id);
}

export function listIntroductionAttachments(db: Db, introductionId: string) {
  return db
    .selectFrom('attachment')
    .leftJoin('user', 'user.id', 'attachment.uploadedBy')
    .select([
      'attachment.id',
      'attachment.filename',
      'attachment.size',
      'attachment.sha256',
      'attachment.createdAt',
      'attachment.uploadedBy',
      'user.name as uploaderName',
    ])
    .where('attachment.ownerType', '=', 'introduction')
    .where('attachment.ownerId', '=', introductionId)
    .orderBy('attachment.createdAt', 'asc')
    .execute();
}

export function findIntroductionAttachment(db: Db, introductionId: string, attachmentId: string) {
  if (!isUuid(attachmentId)) return Promise.resolve(undefined);
  return db
    .selectFrom('attachment')
    .selectAll()
    .where('ownerType', '=', 'introduction')
    .where('ownerId', '=', introductionId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

export async function insertIntroductionAttachment(
  db: Db,
  row: { id: string; ownerId: string; filename: string; size: number; sha256: string; storageKey: string; uploadedBy: string },
): Promise<void> {
  await db
    .insertInto('attachment')
    .values({ ...row, ownerType: 'introduction', contentType: 'application/pdf' })
    .execute();
}

/** Which introductions a list shows; every given scope is OR-ed, none given means all (administrators). */
export interface IntroductionScope {
  /** Buyer organizations the viewer belongs to. */
  buyerOrganizationIds?: string[];
  /** Anchor organizations the viewer owns or administers: introductions brokered to their consortia. */
  anchorOrganizationIds?: string[];
  /** Buyer countries the viewer covers (null: every country). */
  countries?: string[] | null;
}

export interface IntroductionListRow {
  id: string;
  state: string;
  packageSlug: string;
  packageTitle: string;
  buyerName: string;
  buyerCountry: string | null;
  consortiumName: string | null;
  createdAt: Date;
  updatedAt: Date;
  waitingSince: Date;
  outcome: string | null;
  officerId: string | null;
  officerName: string | null;
}

export async function listIntroductions(
  db: Db,
  scope: IntroductionScope,
  options: { states?: readonly string[]; limit?: number } = {},
): Promise<IntroductionListRow[]> {
  const buyers = scope.buyerOrganizationIds ?? [];
  const anchors = scope.anchorOrganizationIds ?? [];
  const everything = scope.countries === null;
  const countries = scope.countries ?? [];
  if (!everything && !buyers.length && !anchors.length && !countries.length) return [];
  let query = withDetail(db);
  if (!everything) {
    query = query.where((eb) =>
      eb.or([
        ...(buyers.length ? [eb('introduction.buyerOrganizationId', 'in', buyers)] : []),
        ...(anchors.length
          ? [eb.and([eb('consortium.anchorOrganizationId', 'in', anchors), eb('introduction.state', 'in', [...BROKERED_STATES])])]
          : []),
        ...(countries.length ? [eb('buyerProfile.country', 'in', countries)] : []),
      ]),
    );
  }
  if (options.states?.length) query = query.where('introduction.state', 'in', [...options.states]);
  const rows = await query
    .orderBy(sql`case when introduction.state in (${sql.join([...OPEN_INTRODUCTION_STATES])}) then 0 else 1 end`)
    .orderBy('introduction.waitingSince', 'asc')
    .orderBy('introduction.id')
    .limit(options.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    packageSlug: r.packageSlug,
    packageTitle: r.packageTitle,
    buyerName: r.buyerLegalName ?? r.buyerName,
    buyerCountry: r.buyerCountry,
    consortiumName: r.consortiumName,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    waitingSince: r.waitingSince,
    outcome: r.outcome,
    officerId: r.officerId,
    officerName: r.officerName,
  }));
}

/** Not reminded since it last changed hands (every move resets `waitingSince`). */
function notRemindedSinceWaiting(): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'introduction'>();
  return eb.or([
    eb('introduction.remindedAt', 'is', null),
    eb('introduction.remindedAt', '<', eb.ref('introduction.waitingSince')),
  ]);
}

/** Open introductions waiting since before `waitingBefore` and not reminded since they last changed hands: the reminder job's candidates. */
export function introductionsToRemind(db: Db, waitingBefore: Date): Promise<IntroductionDetail[]> {
  return withDetail(db)
    .where('introduction.state', 'in', [...OPEN_INTRODUCTION_STATES])
    .where('introduction.waitingSince', '<', waitingBefore)
    .where(notRemindedSinceWaiting())
    .orderBy('introduction.waitingSince')
    .execute();
}

/** Marks the introduction reminded, only if it has not moved nor been reminded meanwhile: whether it was marked. */
export async function markReminded(
  db: Db,
  intro: Pick<IntroductionRow, 'id' | 'state' | 'waitingSince'>,
  now: Date,
): Promise<boolean> {
  const marked = await db
    .updateTable('introduction')
    .set({ remindedAt: now })
    .where('id', '=', intro.id)
    .where('state', '=', intro.state)
    .where('waitingSince', '=', intro.waitingSince)
    .where(notRemindedSinceWaiting())
    .returning('id')
    .executeTakeFirst();
  return !!marked;
}

/** Organizations the user owns or administers (any kind). */
export async function managedOrganizationIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('member').select(['organizationId', 'role']).where('userId', '=', userId).execute();
  return rows.filter((r) => hasOrgRole(r.role, 'owner') || hasOrgRole(r.role, 'admin')).map((r) => r.organizationId);
}

/** The consortium (and its anchor organization) that answers for a package. */
export function consortiumOfPackage(db: Db, packageId: string) {
  return db
    .selectFrom('package')
    .innerJoin('proposal', 'proposal.id', 'package.proposalId')
    .innerJoin('consortium', 'consortium.id', 'proposal.consortiumId')
    .select(['consortium.id', 'consortium.name', 'consortium.anchorOrganizationId'])
    .where('package.id', '=', packageId)
    .executeTakeFirst();
}
