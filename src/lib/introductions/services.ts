import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { SiteRole } from '../../../db/schema/user.ts';
import type { SearchClients } from '../../../search/client.ts';
import type { Mailer } from '../mail/index.ts';
import type { Reference } from '../reference/index.ts';
import type { FieldErrors } from '../server/forms.ts';

/** What introductions need of the site (Astro.locals.app fits). */
export interface IntroductionServices {
  db: Kysely<Database>;
  reference: Pick<Reference, 'regions' | 'regionsOf' | 'countryName' | 'sectorName' | 'regionName'>;
  mailer: Pick<Mailer, 'send'>;
  config: { siteUrl: string };
  search?: { clients(): SearchClients | undefined } | undefined;
}

/** Who acts: the signed-in person, with the address the request came from (for the audit log). */
export interface IntroductionUser {
  id: string;
  email: string;
  name?: string | undefined;
  role: SiteRole;
  ip?: string | null | undefined;
}

export type Status = 400 | 403 | 404 | 409 | 413 | 429;
export type IntroductionResult<T = object> =
  ({ ok: true } & T) | { ok: false; status: Status; errors: FieldErrors; retryAfter?: number };
export const fail = (status: Status, errors: FieldErrors) => ({ ok: false, status, errors }) as const;

export const text = (v: unknown) => (typeof v === 'string' ? v : '');
