import type { DevMailRow } from '../../../db/schema/dev-mail.ts';
import type { PageModule } from '../server/page.ts';

/** A kept message's text in pieces: links (http, https) and the text between them. */
export const linkify = (text: string): string[] => text.split(/(https?:\/\/\S+)/g);

/**
 * /dev/mailbox (development only: the access rules answer 404 in production): the newest 50
 * messages the site kept instead of sending, optionally those to one address (`?to=`).
 */
export const devMailboxPage: PageModule<{ messages: DevMailRow[] }> = {
  async load(ctx) {
    const to = ctx.url.searchParams.get('to');
    let query = ctx.app.db.selectFrom('dev_mail').selectAll().orderBy('id', 'desc').limit(50);
    if (to) query = query.where('to', '=', to.toLowerCase());
    return { messages: await query.execute() };
  },
};
