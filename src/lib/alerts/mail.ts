import type { Translator } from '../../i18n/index.ts';

export interface AlertMailInput {
  name: string;
  frequency: string;
  packages: { title: string; summary: string; url: string }[];
  searchUrl: string;
  manageUrl: string;
  unsubscribeUrl: string;
}

/** The subject and text of an alert, in the buyer's language. */
export function composeAlertMail(t: Translator, input: AlertMailInput): { subject: string; text: string } {
  const count = input.packages.length;
  const subject =
    count === 1
      ? t('alerts.mail.subject.one', { name: input.name, title: input.packages[0]!.title })
      : t('alerts.mail.subject.other', { name: input.name, count: t.number(count) });
  const list = input.packages.map((p) => `${p.title}\n${p.summary}\n${p.url}`).join('\n\n');
  const text = [
    t.plural('alerts.mail.intro', count, { name: input.name }),
    list,
    t('alerts.mail.search', { url: input.searchUrl }),
    t('alerts.mail.manage', { url: input.manageUrl }),
    t('alerts.mail.unsubscribe', { url: input.unsubscribeUrl }),
  ].join('\n\n');
  return { subject, text: `${text}\n` };
}
