import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import type { OrganizationProfileInput } from '../../../db/schema/organization-profile.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { profileColumns } from '../../../db/queries/organizations.ts';
import type { Auth } from './index.ts';
import { passwordProblem } from './password-policy.ts';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: SiteRole;
}

/**
 * Creates a verified account with a password, for administrators' tools (start-up admin,
 * `npm run user:create`, demo accounts): staff accounts are never self-registered.
 * Returns the user id; an existing account keeps its password and gets the role.
 */
export async function ensureUser(auth: Auth, db: Kysely<Database>, input: NewUser): Promise<{ id: string; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  const existing = await db.selectFrom('user').select(['id', 'role']).where('email', '=', email).executeTakeFirst();
  if (existing) {
    if (existing.role !== input.role) {
      await db.updateTable('user').set({ role: input.role }).where('id', '=', existing.id).execute();
      await recordAudit(db, {
        action: 'role-changed',
        subjectType: 'user',
        subjectId: existing.id,
        details: { from: existing.role, to: input.role, by: 'system' },
      });
    }
    return { id: existing.id, created: false };
  }
  const problem = passwordProblem(input.password, { email });
  if (problem) throw new Error(`The password for ${email} is not acceptable: ${problem}`);
  const context = await auth.$context;
  const user = await context.internalAdapter.createUser(
    { email, name: input.name, emailVerified: true, role: input.role },
    { method: 'admin' },
  );
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: await context.password.hash(input.password),
  });
  await recordAudit(db, {
    action: 'sign-up',
    actorEmail: email,
    subjectType: 'user',
    subjectId: user.id,
    details: { role: input.role, by: 'system' },
  });
  return { id: user.id, created: true };
}

/** Creates an organization with its profile and makes the user its owner. */
export async function createOrganizationFor(
  db: Kysely<Database>,
  userId: string,
  kind: 'buyer' | 'supplier',
  profile: OrganizationProfileInput,
): Promise<string> {
  const id = randomUUID();
  const base =
    profile.legalName
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'organization';
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('organization')
      .values({
        id,
        name: profile.legalName,
        slug: `${base}-${id.slice(0, 8)}`,
        logo: null,
        createdAt: new Date(),
        metadata: null,
      })
      .execute();
    await tx
      .insertInto('member')
      .values({ id: randomUUID(), organizationId: id, userId, role: 'owner', createdAt: new Date() })
      .execute();
    await tx
      .insertInto('organization_profile')
      .values({
        organizationId: id,
        kind,
        ...profileColumns(profile),
      })
      .execute();
    await recordAudit(tx, {
      action: 'organization-created',
      actorId: userId,
      subjectType: 'organization',
      subjectId: id,
      details: { kind, legalName: profile.legalName },
    });
  });
  return id;
}

/** Demo accounts, one per role (demo mode only, never in production). Password for all: see the README. */
export const DEMO_PASSWORD = 'correct horse battery staple demo';
export const DEMO_ACCOUNTS: { email: string; name: string; role: SiteRole }[] = [
  { email: 'buyer@demo.aiexports.example.com', name: 'Amina Buyer', role: 'buyer' },
  { email: 'supplier@demo.aiexports.example.com', name: 'Sam Supplier', role: 'supplier' },
  { email: 'officer@demo.aiexports.example.com', name: 'Olivia Officer', role: 'officer' },
  { email: 'reviewer@demo.aiexports.example.com', name: 'Rafael Reviewer', role: 'reviewer' },
  { email: 'admin@demo.aiexports.example.com', name: 'Ada Admin', role: 'admin' },
];

export async function seedDemoAccounts(auth: Auth, db: Kysely<Database>): Promise<number> {
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    // Accounts that exist are left as they are (an administrator may have changed them).
    const existing = await db.selectFrom('user').select('id').where('email', '=', account.email).executeTakeFirst();
    if (existing) continue;
    const result = await ensureUser(auth, db, { ...account, password: DEMO_PASSWORD });
    if (!result.created) continue;
    created++;
    if (account.role === 'buyer') {
      await createOrganizationFor(db, result.id, 'buyer', {
        legalName: 'Ministry of Digital Economy (demo)',
        country: 'KE',
        organizationType: 'ministry',
        registrationNumber: undefined,
        website: undefined,
        address: 'Nairobi, Kenya',
        sectors: ['public-services', 'healthcare'],
      });
    } else if (account.role === 'supplier') {
      await createOrganizationFor(db, result.id, 'supplier', {
        legalName: 'Prairie Compute Systems Inc. (demo)',
        country: 'US',
        organizationType: 'company',
        registrationNumber: undefined,
        website: undefined,
        address: 'Des Moines, Iowa, United States',
        sectors: ['agriculture', 'energy'],
      });
    } else if (account.role === 'officer') {
      await db
        .insertInto('officer_territory')
        .values([
          { userId: result.id, kind: 'region', code: 'african-union' },
          { userId: result.id, kind: 'country', code: 'KE' },
        ])
        .execute();
    }
  }
  return created;
}
