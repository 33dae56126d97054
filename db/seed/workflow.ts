import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/index.ts';
import { AGENCIES } from '../schema/proposal.ts';
import type { PackageContent } from '../schema/package.ts';
import { enqueueSearchSync, findPackageBySlug } from '../queries/packages.ts';
import { declareConflict, recordConsultation, saveScores } from '../queries/review.ts';
import { moveProposal, type Actor } from '../../src/lib/proposals/workflow.ts';
import type { ProposalMove } from '../../src/lib/proposals/state.ts';
import type { PolicyData } from '../../src/lib/reference/policy.ts';
import { loadRubric } from '../../src/lib/review/rubric.ts';
import { demoCatalog } from './index.ts';

export interface WorkflowSeedResult {
  /** Packages put through the workflow, by where they end: designated, suspended or revoked. */
  designated: number;
  suspended: number;
  revoked: number;
  /** Packages left alone because their slug was already in the catalog. */
  skipped: number;
}

/** The proposal draft a demo package would have been submitted as. */
export function draftFromPackage(pkg: PackageContent): Record<string, unknown> {
  const signer = pkg.contacts[0]!;
  return {
    title: pkg.title,
    summary: pkg.summary,
    description: pkg.description,
    sectors: pkg.sectors,
    layers: pkg.layers,
    targetCountries: pkg.targetCountries,
    targetRegions: pkg.targetRegions,
    businessModel: pkg.businessModel,
    financing: pkg.financing,
    compliance: {
      ...pkg.compliance,
      attestation: { name: signer.name, title: signer.title, confirmed: true },
    },
    contacts: pkg.contacts,
  };
}

function slugBase(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'organization'
  );
}

/** Deterministic demo scores, 3–5, from the slug and criterion. */
function demoScore(slug: string, criterion: string): number {
  let h = 0;
  for (const ch of `${slug}:${criterion}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 3 + (h % 3);
}

/**
 * Puts the demo packages (db/seed/demo-packages.json) through the real workflow, so the
 * catalog's packages come from designated proposals: for each, a consortium led by an
 * anchor organization (its members as listed, all active), a proposal whose draft is the
 * package, then submit → take → conflict declaration and scores → the four consultations →
 * designate, and for the suspended and revoked demo packages suspend (and revoke). Each
 * package keeps its original designation date and slug. Packages whose slug is already in
 * the catalog are skipped, so running it twice does nothing the second time.
 *
 * `supplierUserId` (optional) becomes an owner of every anchor organization and the
 * consortium side's actor, so the demo supplier sees these consortia as theirs.
 */
export async function seedDemoThroughWorkflow(
  db: Kysely<Database>,
  policy: PolicyData,
  reviewerId: string,
  supplierUserId?: string,
  options: { contentDir?: string } = {},
): Promise<WorkflowSeedResult> {
  const rubric = await loadRubric(options.contentDir);
  const result: WorkflowSeedResult = { designated: 0, suspended: 0, revoked: 0, skipped: 0 };
  const reviewer: Actor = { id: reviewerId, side: 'reviewer' };
  const supplier: Actor = { id: supplierUserId ?? reviewerId, side: 'consortium' };

  const move = async (proposalId: string, name: ProposalMove, actor: Actor, reason?: string, feedback?: string) => {
    const moved = await moveProposal(db, policy, { proposalId, move: name, actor, reason, feedback });
    if (!moved.ok) throw new Error(`Demo seed: could not ${name} proposal ${proposalId}: ${JSON.stringify(moved)}`);
    return moved;
  };

  for (const pkg of demoCatalog()) {
    if (await findPackageBySlug(db, pkg.slug)) {
      result.skipped++;
      continue;
    }
    const anchor = pkg.consortium.members.find((m) => m.anchor)!;

    // The anchor organization, the consortium and its members.
    const { proposalId } = await db.transaction().execute(async (tx) => {
      const organizationId = randomUUID();
      await tx
        .insertInto('organization')
        .values({
          id: organizationId,
          name: anchor.name,
          slug: `${slugBase(anchor.name)}-${organizationId.slice(0, 8)}`,
          logo: null,
          createdAt: new Date(),
          metadata: null,
        })
        .execute();
      await tx
        .insertInto('organization_profile')
        .values({
          organizationId,
          kind: 'supplier',
          legalName: anchor.name,
          country: anchor.country,
          organizationType: 'company',
          registrationNumber: null,
          website: null,
          address: null,
          sectors: pkg.sectors.slice(0, 10),
        })
        .execute();
      if (supplierUserId) {
        await tx
          .insertInto('member')
          .values({ id: randomUUID(), organizationId, userId: supplierUserId, role: 'owner', createdAt: new Date() })
          .execute();
      }
      const consortium = await tx
        .insertInto('consortium')
        .values({ name: pkg.consortium.name, anchorOrganizationId: organizationId, createdBy: supplierUserId ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('consortium_member')
        .values(
          pkg.consortium.members.map((m) => ({
            consortiumId: consortium.id,
            organizationId: m.anchor ? organizationId : null,
            role: m.anchor ? ('anchor' as const) : ('member' as const),
            status: 'active' as const,
            invitedEmail: null,
            legalName: m.name,
            countryOfIncorporation: m.country,
            headquartersCountry: m.country,
            concernControlled: false,
            layers: m.layers,
          })),
        )
        .execute();
      const proposal = await tx
        .insertInto('proposal')
        .values({ consortiumId: consortium.id, state: 'draft', draft: JSON.stringify(draftFromPackage(pkg)) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { proposalId: proposal.id };
    });

    // The review, as a reviewer would make it.
    await move(proposalId, 'submit', supplier);
    await move(proposalId, 'take', reviewer);
    await declareConflict(db, { proposalId, reviewerId, conflict: false, note: null });
    const scores = Object.fromEntries(rubric.criteria.map((c) => [c.id, demoScore(pkg.slug, c.id)]));
    await saveScores(db, { proposalId, reviewerId, scores, comment: 'Demo data: scored when the demo catalog was loaded.' });
    for (const agency of AGENCIES) {
      await recordConsultation(db, { proposalId, agency, position: 'concurs', comments: 'Demo data.', recordedBy: reviewerId });
    }
    const designated = await move(
      proposalId,
      'designate',
      reviewer,
      'Demo data: the demo catalog is designated through the workflow.',
      'Your package is designated a priority AI export package.',
    );
    if (pkg.status === 'suspended' || pkg.status === 'revoked') {
      await move(
        proposalId,
        'suspend',
        reviewer,
        'Demo data: a suspended package.',
        'The designation is suspended pending a compliance review.',
      );
    }
    if (pkg.status === 'revoked') {
      await move(proposalId, 'revoke', reviewer, 'Demo data: a revoked package.', 'The designation is revoked.');
    }
    result[pkg.status]++;

    // Keep the demo package's own slug and designation date (and a submission before it).
    const packageId = designated.ok ? designated.packageId : undefined;
    if (packageId) {
      const designatedAt = new Date(pkg.designatedAt);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('package')
          .set({ slug: pkg.slug, designatedAt, updatedAt: sql`now()` })
          .where('id', '=', packageId)
          .execute();
        await tx
          .updateTable('proposal')
          .set({ submittedAt: new Date(designatedAt.getTime() - 45 * 86_400_000) })
          .where('id', '=', proposalId)
          .execute();
        await enqueueSearchSync(tx, packageId);
      });
    }
  }
  return result;
}
