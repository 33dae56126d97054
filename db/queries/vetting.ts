import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema/index.ts';
import type { VettingEventRow, VettingRow } from '../schema/vetting.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** States in which a request waits on someone (the officer, or the buyer's answer). */
export const OPEN_VETTING_STATES = ['pending', 'info-requested'] as const;

/** A vetting with its organization's name and profile (as it is now). */
export interface VettingDetail extends VettingRow {
  organizationName: string;
  legalName: string | null;
  country: string | null;
  address: string | null;
  organizationType: string | null;
  registrationNumber: string | null;
  website: string | null;
  kind: string | null;
}

function withOrganization(db: Db) {
  return db
    .selectFrom('vetting')
    .innerJoin('organization', 'organization.id', 'vetting.organizationId')
    .leftJoin('organization_profile', 'organization_profile.organizationId', 'vetting.organizationId')
    .selectAll('vetting')
    .select([
      'organization.name as organizationName',
      'organization_profile.legalName as legalName',
      'organization_profile.country as country',
      'organization_profile.address as address',
      'organization_profile.organizationType as organizationType',
      'organization_profile.registrationNumber as registrationNumber',
      'organization_profile.website as website',
      'organization_profile.kind as kind',
    ]);
}

export function findVetting(db: Db, id: string): Promise<VettingDetail | undefined> {
  return withOrganization(db).where('vetting.id', '=', id).executeTakeFirst();
}

/** The organization's most recent request, whatever its state. */
export function latestVettingFor(db: Db, organizationId: string): Promise<VettingDetail | undefined> {
  return withOrganization(db)
    .where('vetting.organizationId', '=', organizationId)
    .orderBy('vetting.createdAt', 'desc')
    .orderBy('vetting.id', 'desc')
    .executeTakeFirst();
}

/**
 * The verification that stands for the organization now (verified, not lapsed), the latest
 * lapsing first; undefined when the organization is not verified. Introductions ask this.
 */
export function currentVerification(db: Db, organizationId: string, now = new Date()): Promise<VettingRow | undefined> {
  return db
    .selectFrom('vetting')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('state', '=', 'verified')
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .orderBy('expiresAt', 'desc')
    .executeTakeFirst();
}

export interface VettingEventDetail extends VettingEventRow {
  actorName: string | null;
  actorEmail: string | null;
}

export function listVettingEvents(db: Db, vettingId: string): Promise<VettingEventDetail[]> {
  return db
    .selectFrom('vetting_event')
    .leftJoin('user', 'user.id', 'vetting_event.actorId')
    .selectAll('vetting_event')
    .select(['user.name as actorName', 'user.email as actorEmail'])
    .where('vetting_event.vettingId', '=', vettingId)
    .orderBy('vetting_event.at')
    .orderBy('vetting_event.id')
    .execute();
}

export interface NewVetting {
  organizationId: string;
  requestedBy: string | null;
  alternateNames: string[];
  endUse: string;
  endUsers: string;
  countryFlags: unknown[];
  screening: unknown;
}

export async function insertVetting(db: Db, input: NewVetting): Promise<VettingRow> {
  return db
    .insertInto('vetting')
    .values({
      organizationId: input.organizationId,
      state: 'pending',
      requestedBy: input.requestedBy,
      alternateNames: input.alternateNames,
      endUse: input.endUse,
      endUsers: input.endUsers,
      countryFlags: JSON.stringify(input.countryFlags),
      screening: JSON.stringify(input.screening),
      officerId: null,
      decisionReason: null,
      decidedAt: null,
      expiresAt: null,
      reminderSentAt: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertVettingEvent(
  db: Db,
  event: {
    vettingId: string;
    move: string;
    fromState: string;
    toState: string;
    actorId: string | null;
    reason: string | null;
    at?: Date;
  },
): Promise<void> {
  await db
    .insertInto('vetting_event')
    .values({ ...event, at: event.at ?? new Date() })
    .execute();
}

export interface VettingPatch {
  state?: string;
  officerId?: string | null;
  decisionReason?: string | null;
  decidedAt?: Date | null;
  expiresAt?: Date | null;
  reminderSentAt?: Date | null;
  newMatches?: boolean;
  screening?: unknown;
}

/**
 * Changes a vetting only if it is still in `fromState` (another officer may have decided it
 * meanwhile): the updated row, or undefined when it had moved.
 */
export async function updateVettingFrom(
  db: Db,
  id: string,
  fromState: string,
  patch: VettingPatch,
  now = new Date(),
): Promise<VettingRow | undefined> {
  const { screening, ...rest } = patch;
  return db
    .updateTable('vetting')
    .set({ ...rest, ...(screening !== undefined ? { screening: JSON.stringify(screening) } : {}), updatedAt: now })
    .where('id', '=', id)
    .where('state', '=', fromState)
    .returningAll()
    .executeTakeFirst();
}

export interface VettingQueueRow {
  id: string;
  organizationId: string;
  organizationName: string;
  legalName: string | null;
  country: string | null;
  state: string;
  createdAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
  expiresAt: Date | null;
  newMatches: boolean;
  countryFlags: unknown[];
  candidateCount: number;
  listImported: boolean;
}

/**
 * The officer's queue: requests from buyers in `countries` (null: every country, for an
 * administrator), those waiting first and the oldest of them first, then the others, most
 * recently changed first.
 */
export async function vettingQueue(
  db: Db,
  filter: { countries: string[] | null; states?: string[]; limit?: number },
): Promise<VettingQueueRow[]> {
  if (filter.countries && filter.countries.length === 0) return [];
  let query = db
    .selectFrom('vetting')
    .innerJoin('organization', 'organization.id', 'vetting.organizationId')
    .leftJoin('organization_profile', 'organization_profile.organizationId', 'vetting.organizationId')
    .select([
      'vetting.id',
      'vetting.organizationId',
      'organization.name as organizationName',
      'organization_profile.legalName as legalName',
      'organization_profile.country as country',
      'vetting.state',
      'vetting.createdAt',
      'vetting.updatedAt',
      'vetting.decidedAt',
      'vetting.expiresAt',
      'vetting.newMatches',
      'vetting.countryFlags',
      sql<number>`coalesce(jsonb_array_length(case when jsonb_typeof(vetting.screening -> 'candidates') = 'array' then vetting.screening -> 'candidates' end), 0)`.as(
        'candidateCount',
      ),
      sql<boolean>`coalesce(jsonb_typeof(vetting.screening -> 'list') = 'object', false)`.as('listImported'),
    ]);
  if (filter.countries) query = query.where('organization_profile.country', 'in', filter.countries);
  if (filter.states?.length) query = query.where('vetting.state', 'in', filter.states);
  const rows = await query
    .orderBy(sql`case when vetting.state in ('pending', 'info-requested') then 0 else 1 end`)
    .orderBy(sql`case when vetting.state in ('pending', 'info-requested') then vetting."createdAt" end`, 'asc')
    .orderBy('vetting.updatedAt', 'desc')
    .orderBy('vetting.id')
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map((r) => ({ ...r, candidateCount: Number(r.candidateCount), listImported: Boolean(r.listImported) }));
}

/** Email addresses of the organization's owners and administrators (not banned). */
export async function organizationManagerEmails(db: Db, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select(['user.email', 'member.role'])
    .where('member.organizationId', '=', organizationId)
    .where((eb) => eb.or([eb('user.banned', 'is', null), eb('user.banned', '=', false)]))
    .execute();
  const wanted = rows.filter((r) => r.role.split(',').some((role) => ['owner', 'admin'].includes(role.trim())));
  return [...new Set(wanted.map((r) => r.email))];
}

/** Email addresses of these users (not banned). */
export async function userEmails(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('user')
    .select('email')
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('banned', 'is', null), eb('banned', '=', false)]))
    .execute();
  return [...new Set(rows.map((r) => r.email))];
}

/** Email addresses of the site administrators (not banned). */
export async function adminEmails(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('user')
    .select('email')
    .where('role', '=', 'admin')
    .where((eb) => eb.or([eb('banned', 'is', null), eb('banned', '=', false)]))
    .execute();
  return rows.map((r) => r.email);
}

export interface BuyerOrganization {
  organizationId: string;
  name: string;
  role: string;
}

/** The buyer organizations the user belongs to, with their role in each. */
export function buyerOrganizationsOf(db: Db, userId: string): Promise<BuyerOrganization[]> {
  return db
    .selectFrom('member')
    .innerJoin('organization', 'organization.id', 'member.organizationId')
    .innerJoin('organization_profile', 'organization_profile.organizationId', 'organization.id')
    .select(['organization.id as organizationId', 'organization.name as name', 'member.role as role'])
    .where('member.userId', '=', userId)
    .where('organization_profile.kind', '=', 'buyer')
    .orderBy('organization.name')
    .orderBy('organization.id')
    .execute();
}

/** Verified vettings lapsing in (now, until], not yet reminded, with no newer request of their organization. */
export function vettingsDueForReminder(db: Db, now: Date, until: Date): Promise<VettingDetail[]> {
  return withOrganization(db)
    .where('vetting.state', '=', 'verified')
    .where('vetting.expiresAt', '>', now)
    .where('vetting.expiresAt', '<=', until)
    .where('vetting.reminderSentAt', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('vetting as newer')
            .select('newer.id')
            .whereRef('newer.organizationId', '=', 'vetting.organizationId')
            .whereRef('newer.createdAt', '>', 'vetting.createdAt'),
        ),
      ),
    )
    .orderBy('vetting.expiresAt')
    .execute();
}

/** Verified vettings whose verification has lapsed at `now`. */
export function lapsedVettings(db: Db, now: Date): Promise<VettingDetail[]> {
  return withOrganization(db)
    .where('vetting.state', '=', 'verified')
    .where('vetting.expiresAt', '<=', now)
    .orderBy('vetting.expiresAt')
    .execute();
}

/** Requests waiting on an officer or buyer, and verifications that stand: what a new list must be screened against. */
export function vettingsToRescreen(db: Db, now: Date): Promise<VettingDetail[]> {
  return withOrganization(db)
    .where((eb) =>
      eb.or([
        eb('vetting.state', 'in', [...OPEN_VETTING_STATES]),
        eb.and([
          eb('vetting.state', '=', 'verified'),
          eb.or([eb('vetting.expiresAt', 'is', null), eb('vetting.expiresAt', '>', now)]),
        ]),
      ]),
    )
    .orderBy('vetting.createdAt')
    .execute();
}
