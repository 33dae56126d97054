import { listFeedback, listProposalAttachments, listVersions } from '../../../../db/queries/proposals.ts';
import { notifyMove } from '../../review/notify.ts';
import { notFound, redirect, refuse, type PageModule, type Refusal } from '../../server/page.ts';
import { proposalAccess, type ProposalAccess } from '../access.ts';
import type { ChecklistItem } from '../content.ts';
import { proposalChecklist } from '../editor.ts';
import type { UpdateMove } from '../state.ts';
import { moveProposal, moveUpdate, type MoveRefusal } from '../workflow.ts';
import { proposalTitle } from './common.ts';

/** A refused move, as the overview explains it. */
export type OverviewRefusal = MoveRefusal | { ok: false; reason: 'unknown-move' };

export interface ProposalOverviewModel {
  access: ProposalAccess;
  title: string;
  checklist: ChecklistItem[];
  transitions: Awaited<ReturnType<typeof listFeedback>>;
  versions: Awaited<ReturnType<typeof listVersions>>;
  attachments: Awaited<ReturnType<typeof listProposalAttachments>>;
  /** The move just made (`?moved=`), for its notice. */
  moved: string | null;
  refusal?: OverviewRefusal | undefined;
}

const STATUS_400 = new Set(['incomplete', 'ineligible', 'unknown-move']);

/**
 * A proposal's overview (`/proposals/[id]`): state, checklist, feedback, versions, attachments;
 * the consortium's moves (submit, withdraw, and those of an update of a designated package).
 * A submission notifies the reviewers.
 */
export const proposalOverviewPage: PageModule<ProposalOverviewModel> = {
  async load(ctx, refusal?: Refusal) {
    const access = await proposalAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    const { proposal } = access;
    const [transitions, versions, attachments] = await Promise.all([
      listFeedback(ctx.app.db, proposal.id),
      listVersions(ctx.app.db, proposal.id),
      listProposalAttachments(ctx.app.db, proposal.id),
    ]);
    return {
      access,
      title: proposalTitle(proposal.draft, ctx.t),
      checklist: proposalChecklist(proposal.draft),
      transitions,
      versions,
      attachments,
      moved: ctx.url.searchParams.get('moved'),
      refusal: refusal?.values?.refusal as OverviewRefusal | undefined,
    };
  },

  async post(ctx, form) {
    const access = await proposalAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    const { id, email } = ctx.viewer;
    const actor = { id, email, side: 'consortium' as const, ip: ctx.clientIp || null };
    const proposalId = access.proposal.id;
    const move = form.get('move');
    let refusal: OverviewRefusal;
    if (typeof move === 'string' && (access.updateMoves as string[]).includes(move)) {
      const result = await moveUpdate(ctx.app.db, ctx.app.reference.policy, { proposalId, move: move as UpdateMove, actor });
      if (result.ok) return redirect(`/proposals/${proposalId}?moved=${move}`);
      refusal = result;
    } else if ((move === 'submit' || move === 'withdraw') && access.moves.includes(move)) {
      const result = await moveProposal(ctx.app.db, ctx.app.reference.policy, { proposalId, move, actor });
      if (result.ok) {
        if (move === 'submit') await notifyMove(ctx.app, proposalId, 'submit');
        return redirect(`/proposals/${proposalId}?moved=${move}`);
      }
      refusal = result;
    } else {
      refusal = { ok: false, reason: move === 'submit' || move === 'withdraw' ? 'not-allowed-from-state' : 'unknown-move' };
    }
    return refuse(STATUS_400.has(refusal.reason) ? 400 : 409, { move: refusal.reason }, { values: { refusal } });
  },
};
