import { getEntry, render, type CollectionEntry } from 'astro:content';
import { notFound, type PageModule } from '../server/page.ts';

/** The pages that end with the operator's contact, and the header section each page belongs to. */
const WITH_CONTACT = ['privacy', 'accessibility', 'foia', 'about'];
const SECTIONS = { about: 'about', designation: 'designation', 'how-introductions-work': 'introductions', faq: 'faq' } as const;

export interface ContentPageModel {
  entry: CollectionEntry<'pages'>;
  Content: Awaited<ReturnType<typeof render>>['Content'];
  withContact: boolean;
  section: (typeof SECTIONS)[keyof typeof SECTIONS] | undefined;
}

/** /<slug>: the program's explanatory pages, content/pages/<slug>.md. */
export const contentPage: PageModule<ContentPageModel> = {
  async load({ params }) {
    const entry = params.page ? await getEntry('pages', params.page) : undefined;
    if (!entry) return notFound();
    const { Content } = await render(entry);
    return {
      entry,
      Content,
      withContact: WITH_CONTACT.includes(entry.id),
      section: SECTIONS[entry.id as keyof typeof SECTIONS],
    };
  },
};
