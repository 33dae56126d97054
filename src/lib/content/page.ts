import { render, type CollectionEntry } from 'astro:content';
import { localEntry } from '../reference/entries.ts';
import { notFound, type PageModule } from '../server/page.ts';

/** The pages that end with the operator's contact, and the header section each page belongs to. */
const WITH_CONTACT = ['privacy', 'accessibility', 'foia', 'about'];
const SECTIONS = { about: 'about', designation: 'designation', 'how-introductions-work': 'introductions', faq: 'faq' } as const;

export interface ContentPageModel {
  entry: { id: string; data: CollectionEntry<'pages'>['data'] };
  /** True when the reader's language has no translation of the page (it is shown in English). */
  fallback: boolean;
  Content: Awaited<ReturnType<typeof render>>['Content'];
  withContact: boolean;
  section: (typeof SECTIONS)[keyof typeof SECTIONS] | undefined;
}

/** /<slug>: the program's explanatory pages, content/pages/<slug>.md. */
export const contentPage: PageModule<ContentPageModel> = {
  async load({ params, t }) {
    const id = params.page ?? '';
    const local = id ? await localEntry('pages', id, t.lang) : undefined;
    if (!local) return notFound();
    const entry = { id, data: local.data };
    const { Content } = await render(local.body);
    return {
      entry,
      fallback: local.fallback,
      Content,
      withContact: WITH_CONTACT.includes(entry.id),
      section: SECTIONS[entry.id as keyof typeof SECTIONS],
    };
  },
};
