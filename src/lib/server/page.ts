import type { AstroGlobal } from 'astro';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import type { AppServices } from './bootstrap.ts';
import { readForm, type FieldErrors, type FormLimits, type PostedForm } from './forms.ts';
import type { Conflict } from './revisions.ts';

/**
 * One shape for every page (see README, "Architecture"):
 *
 *   src/pages/<route>.astro      thin: `const view = await respond(Astro, page)`, then markup
 *   src/lib/<feature>/page.ts    `load(ctx, refusal?)` → the view model, `post(ctx, form)` → an outcome
 *   src/lib/<feature>/*.ts       rules, state machines, actions (one transaction each)
 *   db/queries/*.ts, search/*    the SQL and the index
 *
 * A page posts to itself (it works without JavaScript, and the middleware guards GET and POST
 * with one access rule). `post` does all the work of a submission, follow-up included (search
 * worker, notices), and answers a redirect (303, Post/Redirect/Get) or a refusal: a 4xx with
 * field errors and the values entered, which `load` gets back to render the form again.
 * Ownership (this organization, this territory) is checked by `load` and by `post` through the
 * feature's access function, never in the page.
 */

/** The signed-in person, as the middleware resolved the session. */
export type Viewer = NonNullable<App.Locals['user']>;

/** What a page's `load` and `post` get: the services, who asks, and the request. */
export interface PageContext {
  app: AppServices;
  viewer: Viewer | undefined;
  t: Translator;
  url: URL;
  params: Record<string, string | undefined>;
  request: Request;
  clientIp: string;
  /** The request's headers (better-auth calls take them). */
  headers: Headers;
  /** The response being made: `load` sets a status (410, 400) or a header (Retry-After) on it. */
  response: AstroGlobal['response'];
}

/** Go elsewhere: after a post (303, the default) or a page that moved. */
export class Redirect {
  constructor(
    readonly location: string,
    readonly status: 301 | 302 | 303 | 307 | 308 = 303,
  ) {}
}

/** Nothing here for this viewer: the 404 page (an object the viewer may not see is not there). */
export class NotFound {}

/** A submission refused: the status (400, 409, 422…), what was wrong, and what was entered. */
export class Refusal {
  constructor(
    readonly status: number,
    readonly errors: FieldErrors,
    readonly options: {
      /** The values as posted, to show in the form again. */
      values?: Record<string, unknown>;
      /** Which form of the page was posted, when it has several. */
      form?: string;
      /** A stale save: what changed meanwhile (ConflictNotice). */
      conflict?: Conflict;
      /** Headers of the answer (`Retry-After`). */
      headers?: Record<string, string>;
    } = {},
  ) {}
  get values(): Record<string, unknown> | undefined {
    return this.options.values;
  }
  get form(): string | undefined {
    return this.options.form;
  }
  get conflict(): Conflict | undefined {
    return this.options.conflict;
  }
}

export const redirect = (location: string, status?: Redirect['status']): Redirect => new Redirect(location, status);
export const notFound = (): NotFound => new NotFound();
export const refuse = (status: number, errors: FieldErrors, options?: Refusal['options']): Refusal =>
  new Refusal(status, errors, options);

/** A post's outcome; a `Response` is sent as it is (a download, a JSON answer). */
export type PostOutcome = Redirect | NotFound | Refusal | Response;

export interface PageModule<Model> {
  /** The view model, or where to go instead. Runs for GET, and after a refused post (with the refusal). */
  load(ctx: PageContext, refusal?: Refusal): Promise<Model | Redirect | NotFound>;
  /** A submission to the page; pages without one answer 405 to a post. */
  post?(ctx: PageContext, form: PostedForm): Promise<PostOutcome>;
  /** Limits for reading this page's form (fields, sizes); the defaults otherwise. */
  formLimits?: FormLimits;
  /**
   * A post whose body the module reads itself from `ctx.request` (a file streamed to disk as it
   * arrives), instead of `post`: the form is not read first.
   */
  upload?(ctx: PageContext): Promise<PostOutcome>;
}

/** What the page's markup renders: the model, and the refusal of the post if there was one. */
export interface View<Model> {
  model: Model;
  refusal?: Refusal;
  t: Translator;
}

/** The parts of a page's `Astro` (or an endpoint's context) a page context is made of. */
export type RequestParts = Pick<AstroGlobal, 'locals' | 'url' | 'params' | 'request'> & {
  /** An endpoint has none: what `load` sets on it is not sent. */
  response?: AstroGlobal['response'];
};

export function pageContext(Astro: RequestParts): PageContext {
  const { locals } = Astro;
  return {
    app: locals.app,
    viewer: locals.user,
    t: locals.t,
    url: Astro.url,
    params: Astro.params,
    request: Astro.request,
    clientIp: locals.clientIp || '',
    headers: Astro.request.headers,
    response: Astro.response ?? { status: 200, statusText: '', headers: new Headers() },
  };
}

/** Applies a non-view outcome: a redirect, the 404 page, or a response sent as it is. */
function apply(Astro: AstroGlobal, outcome: Redirect | NotFound | Response): Response | Promise<Response> {
  if (outcome instanceof Response) return outcome;
  if (outcome instanceof Redirect) return Astro.redirect(outcome.location, outcome.status);
  // Astro cannot rewrite a request whose body was read (a post): the 404 page is asked for afresh.
  if (Astro.request.bodyUsed) return Astro.rewrite(new Request(new URL('/404', Astro.url), { headers: Astro.request.headers }));
  return Astro.rewrite('/404');
}

/**
 * Runs a page: on POST its `post` (405 without one), then — for a refusal, or a GET — its
 * `load`. Returns a `Response` for the page to return, or the view to render:
 *
 *   const view = await respond(Astro, organizationPage);
 *   if (view instanceof Response) return view;
 *   const { model, refusal, t } = view;
 */
export async function respond<Model>(Astro: AstroGlobal, page: PageModule<Model>): Promise<Response | View<Model>> {
  const ctx = pageContext(Astro);
  let refusal: Refusal | undefined;
  const method = Astro.request.method;
  if (method === 'POST' && page.upload) {
    const outcome = await page.upload(ctx);
    if (!(outcome instanceof Refusal)) return apply(Astro, outcome);
    refusal = outcome;
    Astro.response.status = refusal.status;
  } else if (method === 'POST') {
    if (!page.post) return methodNotAllowed(page);
    const form = await readForm(Astro.request, page.formLimits);
    if (!form) {
      refusal = refuse(415, { form: ctx.t('error.input.wrong-content-type') });
    } else {
      const outcome = await page.post(ctx, form);
      if (!(outcome instanceof Refusal)) return apply(Astro, outcome);
      refusal = outcome;
    }
    Astro.response.status = refusal.status;
  } else if (method !== 'GET' && method !== 'HEAD') {
    return methodNotAllowed(page);
  }
  for (const [name, value] of Object.entries(refusal?.options.headers ?? {})) Astro.response.headers.set(name, value);
  const model = await page.load(ctx, refusal);
  if (model instanceof Redirect || model instanceof NotFound) return apply(Astro, model);
  return { model, refusal, t: ctx.t };
}

function methodNotAllowed(page: PageModule<unknown>): Response {
  return new Response('Method not allowed', {
    status: 405,
    headers: { allow: page.post || page.upload ? 'GET, HEAD, POST' : 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** Error summary entries in the order of the page's fields (others last), each linking to its field. */
export function summaryOf(
  errors: FieldErrors,
  order: readonly string[],
  href: (field: string) => string,
): { href: string; message: string }[] {
  return Object.entries(errors)
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([field, message]) => ({ href: href(field), message }));
}

/** The notice for `?done=…` after a post, when it is one of the page's (`${prefix}.${done}`). */
export function doneNotice(ctx: PageContext, done: readonly string[], prefix: string): string | undefined {
  const value = ctx.url.searchParams.get('done');
  return value && done.includes(value) ? ctx.t(`${prefix}.${value}` as MessageKey) : undefined;
}

/** What a feature's action answers: where to go next, or a refusal with what was wrong and entered. */
export type ActionOutcome =
  | { ok: true; location: string }
  | { ok: false; status: number; errors: FieldErrors; form?: string; values?: Record<string, unknown>; conflict?: Conflict };

/** An action's result as a page's outcome: a redirect (303), or a refusal (the form shown again). */
export function outcomeOf(result: ActionOutcome): Redirect | Refusal {
  if (result.ok) return redirect(result.location);
  return refuse(result.status, result.errors, { form: result.form, values: result.values, conflict: result.conflict });
}
