import { consortiaLedBy, listProposalsForUser } from '../../../../db/queries/proposals.ts';
import { redirect, refuse, type PageModule, type Refusal } from '../../server/page.ts';
import { startProposal } from '../editor.ts';
import { proposalTitle } from './common.ts';

export interface ProposalListModel {
  proposals: { id: string; title: string; consortiumName: string; state: string; updatedAt: Date }[];
  /** The viewer leads a consortium, and may start a proposal. */
  mayStart: boolean;
}

/** `/proposals`: the signed-in person's consortia's proposals, with their state. */
export const proposalListPage: PageModule<ProposalListModel> = {
  async load(ctx) {
    const userId = ctx.viewer!.id;
    const [proposals, led] = await Promise.all([listProposalsForUser(ctx.app.db, userId), consortiaLedBy(ctx.app.db, userId)]);
    return {
      proposals: proposals.map((p) => ({
        id: p.id,
        title: proposalTitle(p.draft, ctx.t),
        consortiumName: p.consortiumName,
        state: p.state,
        updatedAt: p.updatedAt,
      })),
      mayStart: led.length > 0,
    };
  },
};

export interface NewProposalModel {
  /** The consortia the viewer leads (owner or admin of the anchor organization). */
  led: { id: string; name: string }[];
  chosen: string;
  error?: string | undefined;
}

/** `/proposals/new`: start a proposal for a consortium the person leads. */
export const newProposalPage: PageModule<NewProposalModel> = {
  async load(ctx, refusal?: Refusal) {
    return {
      led: await consortiaLedBy(ctx.app.db, ctx.viewer!.id),
      chosen: String(refusal?.values?.consortiumId ?? ctx.url.searchParams.get('consortium') ?? ''),
      error: refusal?.errors.consortiumId,
    };
  },
  async post(ctx, form) {
    const viewer = ctx.viewer!;
    const value = form.get('consortiumId');
    const chosen = typeof value === 'string' ? value : '';
    const id = chosen
      ? await startProposal(ctx.app.db, chosen, { id: viewer.id, email: viewer.email, ip: ctx.clientIp || null })
      : undefined;
    if (id) return redirect(`/proposals/${id}/edit/overview`);
    return refuse(400, { consortiumId: ctx.t('proposals.new.choose') }, { values: { consortiumId: chosen } });
  },
};
