import { redirect, refuse, type PageModule } from '../server/page.ts';
import { loadUnsubscribe, postUnsubscribe, type UnsubscribeView } from './unsubscribe.ts';

export interface UnsubscribeModel {
  view: UnsubscribeView;
  /** 400 for a bad or changed link, 404 for a deleted saved search. */
  status: number | undefined;
  /** The mail was turned off just now (after the post), not before. */
  done: boolean;
}

const statusOf = (view: UnsubscribeView) => (view.kind === 'invalid' ? 400 : view.kind === 'gone' ? 404 : undefined);

/**
 * The unsubscribe link of an alert mail, no sign-in needed (the link is signed). GET only shows
 * the question, with a button that posts, so that a mail scanner fetching links changes nothing;
 * the post (that button, or a mail client's RFC 8058 one-click) turns the search's mail off and
 * answers 303 back here.
 */
export const unsubscribePage: PageModule<UnsubscribeModel> = {
  async load(ctx, refusal) {
    const param = (name: string) => (ctx.url.searchParams.get(name) ?? '').slice(0, 100);
    const view =
      (refusal?.values?.view as UnsubscribeView | undefined) ?? (await loadUnsubscribe(ctx.app, param('s'), param('t')));
    return { view, status: statusOf(view), done: ctx.url.searchParams.get('done') === '1' };
  },
  async post(ctx, form) {
    const view = await postUnsubscribe(ctx.app, ctx.url, form);
    if (view.kind === 'off') {
      return redirect(`/alerts/unsubscribe?s=${encodeURIComponent(view.id)}&t=${encodeURIComponent(view.token)}&done=1`);
    }
    return refuse(statusOf(view) ?? 400, {}, { values: { view } });
  },
};
