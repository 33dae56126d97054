import {
  consortiumOfPackage,
  countOpenIntroductions,
  findIntroduction,
  findOpenIntroductionFor,
  insertIntroduction,
  lockOrganization,
} from '../../../db/queries/introductions.ts';
import { findPackageBySlug } from '../../../db/queries/packages.ts';
import { useTranslations, type Translator } from '../../i18n/index.ts';
import { sendAll, siteBase } from '../mail/index.ts';
import type { FieldErrors } from '../server/forms.ts';
import { requestEligibility } from './eligibility.ts';
import { introductionRequestInput } from './input.ts';
import { buyerLabel } from './labels.ts';
import { officerEmails } from './recipients.ts';
import { recordIntroductionMove } from './record.ts';
import { fail, text, type IntroductionResult, type IntroductionServices, type IntroductionUser } from './services.ts';
import { MAX_OPEN_REQUESTS } from './state.ts';

// Refusals are in the asker's language (`t`); the mail to the officers is in English (their language is not stored).

/**
 * A verified buyer asks for an introduction to a designated package: checked (verification,
 * at most MAX_OPEN_REQUESTS open requests per organization, none open for the same package),
 * recorded with its event and audit entry, and emailed to the officers covering the buyer's country.
 */
export async function requestIntroduction(
  app: IntroductionServices,
  actor: IntroductionUser,
  packageSlug: string,
  input: Record<string, unknown>,
  now = new Date(),
  t: Translator = useTranslations(),
): Promise<IntroductionResult<{ id: string }>> {
  const pkg = /^[a-z0-9-]{1,120}$/.test(packageSlug) ? await findPackageBySlug(app.db, packageSlug) : undefined;
  if (!pkg) return fail(404, { form: t('intro.error.package') });
  if (pkg.status !== 'designated') return fail(409, { form: t('intro.error.packageGone') });
  const eligibility = await requestEligibility(app.db, actor, now);
  switch (eligibility.kind) {
    case 'anonymous':
    case 'not-buyer':
      return fail(403, { form: t('intro.error.notBuyer') });
    case 'no-organization':
      return fail(409, { form: t('intro.error.noOrganization') });
    case 'unverified':
      return fail(409, { form: t('intro.error.unverified') });
  }
  const wanted = text(input.organizationId);
  const organization = wanted
    ? eligibility.organizations.find((o) => o.organizationId === wanted)
    : eligibility.organizations.length === 1
      ? eligibility.organizations[0]
      : undefined;
  const errors: FieldErrors = {};
  if (!organization) errors.organizationId = wanted ? t('intro.error.unverified') : t('intro.error.organization');
  const checked = introductionRequestInput(t).safeParse({
    needs: text(input.needs),
    timeline: text(input.timeline),
    budgetBand: text(input.budgetBand) || undefined,
    deploymentModel: text(input.deploymentModel) || undefined,
    financingInterest: text(input.financingInterest) || undefined,
    participants: text(input.participants),
  });
  if (!checked.success) for (const issue of checked.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  if (!organization || !checked.success) return fail(wanted && !organization ? 409 : 400, errors);
  const consortium = await consortiumOfPackage(app.db, pkg.id);
  if (!consortium) return fail(409, { form: t('intro.error.noConsortium') });
  const data = checked.data;

  const created = await app.db.transaction().execute(async (tx) => {
    await lockOrganization(tx, organization.organizationId);
    if (await findOpenIntroductionFor(tx, organization.organizationId, pkg.id)) return { refused: 'duplicate' as const };
    if ((await countOpenIntroductions(tx, organization.organizationId)) >= MAX_OPEN_REQUESTS)
      return { refused: 'limit' as const };
    const row = await insertIntroduction(
      tx,
      {
        buyerOrganizationId: organization.organizationId,
        packageId: pkg.id,
        requestedBy: actor.id,
        needs: data.needs,
        timeline: data.timeline,
        budgetBand: data.budgetBand,
        deploymentModel: data.deploymentModel,
        financingInterest: data.financingInterest,
        participants: data.participants,
      },
      now,
    );
    await recordIntroductionMove(tx, {
      introductionId: row.id,
      move: 'request',
      from: 'none',
      to: 'requested',
      actor,
      note: null,
      at: now,
      audit: {
        action: 'introduction-requested',
        details: {
          packageId: pkg.id,
          packageSlug: pkg.slug,
          buyerOrganizationId: organization.organizationId,
          consortiumId: consortium.id,
        },
      },
    });
    return { row };
  });
  if ('refused' in created) {
    return fail(409, {
      form: created.refused === 'duplicate' ? t('intro.error.duplicate') : t('intro.error.limit', { max: MAX_OPEN_REQUESTS }),
    });
  }
  const intro = (await findIntroduction(app.db, created.row.id))!;
  const mail = useTranslations();
  const subject = mail('intro.mail.requested.subject', { buyer: buyerLabel(intro), package: pkg.title });
  const body = mail('intro.mail.requested.body', {
    buyer: buyerLabel(intro),
    country: intro.buyerCountry ? app.reference.countryName(intro.buyerCountry) : '—',
    package: pkg.title,
    needs: data.needs,
    url: `${siteBase(app)}/introductions/${intro.id}`,
  });
  await sendAll(
    app.mailer,
    (await officerEmails(app, intro)).map((to) => ({ to, subject, text: body })),
  );
  return { ok: true, id: intro.id };
}
