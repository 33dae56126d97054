import { findMembership } from '../../../db/queries/organizations.ts';
import {
  BROKERED_STATES,
  findIntroduction,
  listIntroductions,
  managedOrganizationIds,
  type IntroductionDetail,
  type IntroductionListRow,
} from '../../../db/queries/introductions.ts';
import { buyerOrganizationsOf } from '../../../db/queries/vetting.ts';
import { covers, coveredCountries } from '../vetting/territory.ts';
import type { IntroductionServices } from './services.ts';
import {
  asIntroductionState,
  introductionMovesFor,
  type IntroductionActor,
  type IntroductionFacts,
  type IntroductionMove,
} from './state.ts';

export interface IntroductionAccess {
  intro: IntroductionDetail;
  /** The side the viewer acts for (an administrator acts as the officer). */
  side: IntroductionActor;
  /** The moves the state machine allows that side now. */
  moves: IntroductionMove[];
}

/** What the state machine needs to know of an introduction beyond its state. */
export function introductionFacts(intro: Pick<IntroductionDetail, 'anchorOrganizationId'>): Required<IntroductionFacts> {
  return { hasConsortium: !!intro.anchorOrganizationId };
}

/**
 * The introduction as the viewer may see it, or undefined (404): members of the buyer
 * organization; owners and administrators of the consortium's anchor organization, once
 * brokered; officers whose territory covers the buyer's country; administrators.
 */
export async function introductionAccess(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string } | undefined,
  id: string,
): Promise<IntroductionAccess | undefined> {
  if (!viewer) return undefined;
  const intro = await findIntroduction(app.db, id);
  if (!intro) return undefined;
  const side = await sideOf(app, viewer, intro);
  if (!side) return undefined;
  return { intro, side, moves: introductionMovesFor(asIntroductionState(intro.state), side, introductionFacts(intro)) };
}

async function sideOf(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string },
  intro: IntroductionDetail,
): Promise<IntroductionActor | undefined> {
  switch (viewer.role) {
    case 'admin':
      return 'officer';
    case 'officer':
      return covers(await coveredCountries(app.db, app.reference, viewer), intro.buyerCountry) ? 'officer' : undefined;
    case 'buyer':
      return (await findMembership(app.db, intro.buyerOrganizationId, viewer.id)) ? 'buyer' : undefined;
    case 'supplier': {
      if (!intro.anchorOrganizationId || !(BROKERED_STATES as readonly string[]).includes(intro.state)) return undefined;
      return (await managedOrganizationIds(app.db, viewer.id)).includes(intro.anchorOrganizationId) ? 'consortium' : undefined;
    }
    default:
      return undefined;
  }
}

/** "My introductions": the buyer's organizations' requests, the supplier's consortia's, the officer's territory's, or all (administrator). */
export async function introductionsFor(
  app: Pick<IntroductionServices, 'db' | 'reference'>,
  viewer: { id: string; role: string },
  options: { states?: readonly string[]; limit?: number } = {},
): Promise<IntroductionListRow[]> {
  switch (viewer.role) {
    case 'admin':
      return listIntroductions(app.db, { countries: null }, options);
    case 'officer': {
      const countries = await coveredCountries(app.db, app.reference, viewer);
      return listIntroductions(app.db, { countries: countries ?? [] }, options);
    }
    case 'buyer':
      return listIntroductions(
        app.db,
        { buyerOrganizationIds: (await buyerOrganizationsOf(app.db, viewer.id)).map((o) => o.organizationId) },
        options,
      );
    case 'supplier':
      return listIntroductions(app.db, { anchorOrganizationIds: await managedOrganizationIds(app.db, viewer.id) }, options);
    default:
      return [];
  }
}
