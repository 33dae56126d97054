import { BROKERED_STATES, type IntroductionDetail } from '../../../db/queries/introductions.ts';
import { adminEmails, organizationManagerEmails, userEmails } from '../../../db/queries/vetting.ts';
import { officersFor } from '../vetting/territory.ts';
import type { IntroductionServices, IntroductionUser } from './services.ts';
import type { IntroductionActor } from './state.ts';

/** The officer who took it; else the officers covering the buyer's country; else the administrators. */
export async function officerEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'officerId' | 'buyerCountry'>,
): Promise<string[]> {
  if (intro.officerId) {
    const emails = await userEmails(app.db, [intro.officerId]);
    if (emails.length) return emails;
  }
  const ids = intro.buyerCountry ? await officersFor(app.db, app.reference, intro.buyerCountry) : [];
  const emails = await userEmails(app.db, ids);
  return emails.length ? emails : adminEmails(app.db);
}

async function buyerEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'requestedBy' | 'buyerOrganizationId'>,
): Promise<string[]> {
  const requester = intro.requestedBy ? await userEmails(app.db, [intro.requestedBy]) : [];
  return [...new Set([...requester, ...(await organizationManagerEmails(app.db, intro.buyerOrganizationId))])];
}

async function consortiumEmails(
  app: IntroductionServices,
  intro: Pick<IntroductionDetail, 'anchorOrganizationId'>,
): Promise<string[]> {
  return intro.anchorOrganizationId ? organizationManagerEmails(app.db, intro.anchorOrganizationId) : [];
}

/** The addresses of a side of the introduction (the consortium only once it has been brokered). */
export async function sideEmails(
  app: IntroductionServices,
  intro: IntroductionDetail,
  side: IntroductionActor,
  state = intro.state,
): Promise<string[]> {
  if (side === 'officer') return officerEmails(app, intro);
  if (side === 'buyer') return buyerEmails(app, intro);
  return (BROKERED_STATES as readonly string[]).includes(state) ? consortiumEmails(app, intro) : [];
}

/** The addresses of the other sides (the consortium only once brokered), without the actor's. */
export async function othersEmails(
  app: IntroductionServices,
  intro: IntroductionDetail,
  actor: IntroductionUser,
  side: IntroductionActor,
  state: string,
): Promise<string[]> {
  const sides = (['buyer', 'officer', 'consortium'] as const).filter((s) => s !== side);
  const all = new Set<string>();
  for (const s of sides) for (const email of await sideEmails(app, intro, s, state)) all.add(email);
  all.delete(actor.email);
  return [...all];
}
