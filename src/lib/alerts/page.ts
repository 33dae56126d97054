import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { ALERT_FREQUENCIES, type AlertFrequency, type SavedSearchRow } from '../../../db/schema/saved-search.ts';
import {
  countSavedSearches,
  deleteSavedSearch,
  findOwnSavedSearch,
  insertSavedSearch,
  listSavedSearches,
  updateSavedSearch,
} from '../../../db/queries/saved-searches.ts';
import { isUuid } from '../../../db/queries/ids.ts';
import { DEFAULT_LANG, isLang, useTranslations, type Translator } from '../../i18n/index.ts';
import type { Reference } from '../reference/index.ts';
import { formObject, type FieldErrors, type FormLike } from '../server/forms.ts';
import { redirect, refuse, type PageContext, type PageModule, type Refusal } from '../server/page.ts';
import { normalizeLine } from '../server/text.ts';
import { describeSavedQuery, parseSavedQuery, savedQueryParams } from './query.ts';

/** How many searches one account may save, and how long a name may be. */
export { ALERT_FREQUENCIES };
export const MAX_SAVED_SEARCHES = 25;
export const MAX_NAME = 100;

export interface SavedSearchContext {
  db: Kysely<Database>;
  reference: Reference;
  userId: string;
  /** The buyer's language, kept with a new saved search for its mail. */
  lang?: string;
}

export interface SavedSearchView {
  id: string;
  name: string;
  frequency: AlertFrequency;
  version: number;
  description: string;
  /** The URL parameters of the search, for /packages and /packages.atom. */
  params: string;
}

export function toView(row: SavedSearchRow, ref: Reference, t: Translator): SavedSearchView {
  return {
    id: row.id,
    name: row.name,
    frequency: row.frequency,
    version: row.version,
    description: describeSavedQuery(row.query, ref, t),
    params: savedQueryParams(row.query),
  };
}

export async function loadSavedSearches(ctx: SavedSearchContext, t: Translator = useTranslations()): Promise<SavedSearchView[]> {
  return (await listSavedSearches(ctx.db, ctx.userId)).map((row) => toView(row, ctx.reference, t));
}

/** The values a failed form is shown again with (nothing typed is lost). */
export interface SavedSearchValues {
  name: string;
  frequency: string;
  query?: string;
  version?: string;
}

export type SavedSearchPost =
  | { ok: true; location: string }
  | {
      ok: false;
      status: number;
      errors: FieldErrors;
      /** `create`, or the id of the saved search whose form failed. */
      form: string;
      values: SavedSearchValues;
    };

export const SAVED_SEARCH_INTENTS = ['create', 'update', 'delete'] as const;

/** The name and frequency rules, with their messages in the reader's language. */
function rules(t: Translator) {
  const Name = z
    .string()
    .transform((v, ctx) => {
      const line = normalizeLine(v);
      if (line === undefined) {
        ctx.addIssue({ code: 'custom', message: t('alerts.error.name.invalid') });
        return z.NEVER;
      }
      return line.trim();
    })
    .pipe(
      z
        .string()
        .min(1, t('alerts.error.name.required'))
        .max(MAX_NAME, t('alerts.error.name.tooLong', { max: MAX_NAME })),
    );
  const Frequency = z.enum(ALERT_FREQUENCIES, { message: t('alerts.error.frequency') });
  return { Name, Frequency };
}

function check(
  fields: Record<string, unknown>,
  t: Translator,
): { name?: string; frequency?: AlertFrequency; errors: FieldErrors } {
  const { Name, Frequency } = rules(t);
  const errors: FieldErrors = {};
  const name = Name.safeParse(fields.name ?? '');
  if (!name.success) errors.name = name.error.issues[0]!.message;
  const frequency = Frequency.safeParse(fields.frequency ?? '');
  if (!frequency.success) errors.frequency = frequency.error.issues[0]!.message;
  return { name: name.data, frequency: frequency.data, errors };
}

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 5000) : '');

/**
 * A post of the saved-search forms: `create` (from the search page), `update` (rename, change
 * how often mail comes; refused with 409 when the saved search changed since the form was
 * made) and `delete`. Every one is checked against the viewer: another's saved search is
 * answered as absent (404), whatever the intent.
 */
export async function postSavedSearches(ctx: SavedSearchContext, form: FormLike | undefined): Promise<SavedSearchPost> {
  const t = useTranslations(isLang(ctx.lang) ? ctx.lang : DEFAULT_LANG);
  const fields = form ? formObject(form) : {};
  const intent = text(fields.intent);
  const values: SavedSearchValues = {
    name: text(fields.name),
    frequency: text(fields.frequency),
    query: text(fields.query),
    version: text(fields.version),
  };
  if (intent === 'create') {
    const { name, frequency, errors } = check(fields, t);
    const query = parseSavedQuery(values.query ?? '', ctx.reference);
    if (!query) errors.query = t('alerts.error.query');
    if (Object.keys(errors).length) return { ok: false, status: 400, errors, form: 'create', values };
    if ((await countSavedSearches(ctx.db, ctx.userId)) >= MAX_SAVED_SEARCHES) {
      return {
        ok: false,
        status: 409,
        errors: { form: t('alerts.error.limit', { max: MAX_SAVED_SEARCHES }) },
        form: 'create',
        values,
      };
    }
    const row = await insertSavedSearch(ctx.db, {
      userId: ctx.userId,
      name: name!,
      query: query!,
      frequency: frequency!,
      locale: ctx.lang ?? DEFAULT_LANG,
    });
    return { ok: true, location: `/buyer/searches?done=saved#search-${row.id}` };
  }

  const id = text(fields.id);
  const own = isUuid(id) ? await findOwnSavedSearch(ctx.db, ctx.userId, id) : undefined;
  if (intent === 'delete') {
    // Deleting what is already gone is done; another's is not found, and stays.
    if (!own && isUuid(id) && (await isOthers(ctx, id))) return notFound(values, t);
    if (own) await deleteSavedSearch(ctx.db, ctx.userId, id);
    return { ok: true, location: '/buyer/searches?done=deleted' };
  }
  if (intent === 'update') {
    if (!own) return notFound(values, t);
    const { name, frequency, errors } = check(fields, t);
    const version = /^\d{1,9}$/.test(values.version ?? '') ? Number(values.version) : NaN;
    if (Number.isNaN(version)) errors.form = t('alerts.error.version');
    if (Object.keys(errors).length) return { ok: false, status: 400, errors, form: id, values };
    const updated = await updateSavedSearch(ctx.db, ctx.userId, id, version, { name: name!, frequency: frequency! });
    if (!updated) {
      return {
        ok: false,
        status: 409,
        errors: { form: t('alerts.error.stale') },
        form: id,
        // The newest version, so that sending the form again applies what was typed.
        values: { ...values, version: String(own.version) },
      };
    }
    return { ok: true, location: `/buyer/searches?done=updated#search-${id}` };
  }
  return { ok: false, status: 400, errors: { form: t('alerts.error.intent') }, form: 'none', values };
}

async function isOthers(ctx: SavedSearchContext, id: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('saved_search').select('userId').where('id', '=', id).executeTakeFirst();
  return !!row && row.userId !== ctx.userId;
}

function notFound(values: SavedSearchValues, t: Translator): SavedSearchPost {
  return { ok: false, status: 404, errors: { form: t('alerts.error.notFound') }, form: 'none', values };
}

/** What /buyer/searches renders. */
export interface SavedSearchesModel {
  searches: SavedSearchView[];
  /** The notice after a save, an update or a deletion. */
  doneText?: string;
  /** The error summary's links. */
  summary: { href: string; message: string }[];
  /** A search being saved whose form was refused (from the search page's "Save this search"). */
  created?: SavedSearchValues;
  createdDescription?: string;
  errorsOf(form: string): FieldErrors;
  valuesOf(form: string): SavedSearchValues | undefined;
}

function savedSearchContext(ctx: PageContext): SavedSearchContext {
  return { db: ctx.app.db, reference: ctx.app.reference, userId: ctx.viewer!.id, lang: ctx.t.lang };
}

const DONE = ['saved', 'updated', 'deleted'] as const;

/**
 * The buyer's saved searches: rename, how often to email, delete; a link to the results and to
 * the Atom feed of each. The search page's "Save this search" posts here (intent `create`).
 * Another's saved search is answered 404; a form made from an older version is refused with
 * 409, showing what was typed.
 */
export const savedSearchesPage: PageModule<SavedSearchesModel> = {
  async load(ctx, refusal?: Refusal) {
    const searches = await loadSavedSearches(savedSearchContext(ctx), ctx.t);
    const done = DONE.find((d) => d === ctx.url.searchParams.get('done'));
    const form = refusal?.form;
    const summary = refusal
      ? Object.entries(refusal.errors).map(([field, message]) => ({
          href: field === 'form' || field === 'query' ? '#main-content' : `#${field}-${form}`,
          message,
        }))
      : [];
    const values = refusal?.values as SavedSearchValues | undefined;
    const created = form === 'create' ? values : undefined;
    const createdQuery = created ? parseSavedQuery(String(created.query ?? ''), ctx.app.reference) : undefined;
    return {
      searches,
      doneText: done ? ctx.t(`alerts.done.${done}`) : undefined,
      summary,
      created,
      createdDescription: createdQuery ? describeSavedQuery(createdQuery, ctx.app.reference, ctx.t) : undefined,
      errorsOf: (f) => (form === f ? refusal!.errors : {}),
      valuesOf: (f) => (form === f ? values : undefined),
    };
  },
  async post(ctx, form) {
    const result = await postSavedSearches(savedSearchContext(ctx), form);
    if (result.ok) return redirect(result.location);
    return refuse(result.status, result.errors, { form: result.form, values: { ...result.values } });
  },
};
