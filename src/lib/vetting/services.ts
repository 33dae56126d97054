import type { Kysely } from 'kysely';
import type { Meilisearch } from 'meilisearch';
import type { Database } from '../../../db/schema/index.ts';
import type { SearchClients } from '../../../search/client.ts';
import type { Mailer } from '../mail/index.ts';
import type { Reference } from '../reference/index.ts';

/** What vetting needs of the site: the database, the screening search client, reference data, mail. */
export interface VettingServices {
  db: Kysely<Database>;
  /** The Meilisearch admin client; without it screening scores every entry from the database. */
  admin?: Meilisearch | undefined;
  reference: Pick<Reference, 'policy' | 'regions' | 'regionsOf' | 'countryName'>;
  mailer: Pick<Mailer, 'send'>;
  config: { siteUrl: string };
  /** Where VETTING_VALIDITY_MONTHS and SCREENING_MIN_SCORE are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

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
    return {
      db: app.db,
      admin,
      reference: app.reference,
      mailer: app.mailer,
      config: app.config,
      ...(app.env ? { env: app.env } : {}),
    };
  }
  return app as VettingServices;
}

import { sendAll, siteBase } from '../mail/index.ts';
export { sendAll, siteBase };
