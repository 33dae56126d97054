import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { buyerOrganizationsOf, currentVerification } from '../../../db/queries/vetting.ts';
import { isVerified, type VettingState } from '../vetting/state.ts';

export type RequestEligibility =
  | { kind: 'anonymous' }
  | { kind: 'not-buyer' }
  | { kind: 'no-organization' }
  | { kind: 'unverified'; organizations: { organizationId: string; name: string }[] }
  | { kind: 'eligible'; organizations: { organizationId: string; name: string }[] };

/** Whether the viewer may ask for an introduction: a buyer whose organization stands verified. */
export async function requestEligibility(
  db: Kysely<Database>,
  user: { id: string; role: string } | undefined,
  now = new Date(),
): Promise<RequestEligibility> {
  if (!user) return { kind: 'anonymous' };
  if (user.role !== 'buyer') return { kind: 'not-buyer' };
  const organizations = await buyerOrganizationsOf(db, user.id);
  if (!organizations.length) return { kind: 'no-organization' };
  const verified: { organizationId: string; name: string }[] = [];
  for (const org of organizations) {
    const vetting = await currentVerification(db, org.organizationId, now);
    if (vetting && isVerified(vetting.state as VettingState, vetting.expiresAt, now))
      verified.push({ organizationId: org.organizationId, name: org.name });
  }
  if (!verified.length)
    return { kind: 'unverified', organizations: organizations.map((o) => ({ organizationId: o.organizationId, name: o.name })) };
  return { kind: 'eligible', organizations: verified };
}
