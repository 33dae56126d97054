import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { findSavedSearch, turnOffAlerts } from '../../../db/queries/saved-searches.ts';
import { isUuid } from '../../../db/queries/ids.ts';
import { formObject, type FormLike } from '../server/forms.ts';
import { siteSecret, verifyUnsubscribeToken } from './token.ts';

export interface UnsubscribeServices {
  db: Kysely<Database>;
  auth: { $context: Promise<{ secret: string }> };
}

export type UnsubscribeView =
  { kind: 'invalid' } | { kind: 'gone' } | { kind: 'confirm' | 'off'; id: string; token: string; name: string };

/** The saved search a link names, when its signature holds: `s` (the id) and `t` (the HMAC). */
export async function loadUnsubscribe(app: UnsubscribeServices, id: string, token: string): Promise<UnsubscribeView> {
  if (!isUuid(id) || !verifyUnsubscribeToken(await siteSecret(app), id, token)) return { kind: 'invalid' };
  const row = await findSavedSearch(app.db, id);
  if (!row) return { kind: 'gone' };
  return { kind: row.frequency === 'off' ? 'off' : 'confirm', id, token, name: row.name };
}

/**
 * The POST of the confirmation page's button, or of a mail client's RFC 8058 one-click
 * (`List-Unsubscribe=One-Click` to the link itself): the link's `s` and `t`, from the URL or
 * the form. A bad signature changes nothing.
 */
export async function postUnsubscribe(app: UnsubscribeServices, url: URL, form: FormLike | undefined): Promise<UnsubscribeView> {
  const fields = form ? formObject(form) : {};
  const pick = (name: string) => {
    const v = url.searchParams.get(name) ?? fields[name];
    return typeof v === 'string' ? v.slice(0, 100) : '';
  };
  const view = await loadUnsubscribe(app, pick('s'), pick('t'));
  if (view.kind !== 'confirm') return view;
  const row = await turnOffAlerts(app.db, view.id);
  return row ? { ...view, kind: 'off' } : { kind: 'gone' };
}
