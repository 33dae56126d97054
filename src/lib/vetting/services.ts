import type { Kysely } from 'kysely';
import type { Meilisearch } from 'meilisearch';
import type { Database } from '../../../db/schema/index.ts';
import type { SearchClients } from '../../../search/client.ts';
import type { Mailer } from '../mail/index.ts';
import type { Reference } from '../reference/index.ts';
import { DEFAULT_MIN_SCORE } from '../screening/match.ts';
import { DEFAULT_VALIDITY_MONTHS } from './config.ts';

/** The settings vetting reads, from the app's configuration (`astro:env`, or the command line's environment). */
export interface VettingConfig {
  siteUrl: string;
  /** VETTING_VALIDITY_MONTHS; DEFAULT_VALIDITY_MONTHS when not set. */
  vettingValidityMonths?: number | undefined;
  /** SCREENING_MIN_SCORE; DEFAULT_MIN_SCORE when not set. */
  screeningMinScore?: number | undefined;
}

/** What vetting needs of the site: the database, the screening search client, reference data, mail. */
export interface VettingServices {
  db: Kysely<Database>;
  /** The Meilisearch admin client; without it screening scores every entry from the database. */
  admin?: Meilisearch | undefined;
  reference: Pick<Reference, 'policy' | 'regions' | 'regionsOf' | 'countryName'>;
  mailer: Pick<Mailer, 'send'>;
  config: VettingConfig;
}

/** How long a verification lasts, in months. */
export const validityMonthsOf = (app: { config: VettingConfig }): number =>
  app.config.vettingValidityMonths ?? DEFAULT_VALIDITY_MONTHS;
/** The lowest screening score shown to the officer. */
export const minScoreOf = (app: { config: VettingConfig }): number => app.config.screeningMinScore ?? DEFAULT_MIN_SCORE;

/** The site's services (Astro.locals.app) as vetting uses them. */
export interface SiteServicesLike extends Omit<VettingServices, 'admin'> {
  search: { clients(): SearchClients | undefined };
}

export function vettingServices(app: VettingServices | SiteServicesLike): VettingServices {
  if ('search' in app && app.search && typeof app.search.clients === 'function') {
    let admin: Meilisearch | undefined;
    try {
      admin = app.search.clients()?.admin;
    } catch {
      admin = undefined;
    }
    return { db: app.db, admin, reference: app.reference, mailer: app.mailer, config: app.config };
  }
  return app as VettingServices;
}

import { sendAll, siteBase } from '../mail/index.ts';
export { sendAll, siteBase };
