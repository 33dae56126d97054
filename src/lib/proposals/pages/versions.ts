import { findVersion, listVersions } from '../../../../db/queries/proposals.ts';
import { notFound, type PageModule } from '../../server/page.ts';
import { proposalAccess } from '../access.ts';
import { compareVersions, parseVersionPair, type SectionDiff } from '../editor.ts';
import { proposalTitle } from './common.ts';

export interface VersionsModel {
  proposalId: string;
  title: string;
  versions: Awaited<ReturnType<typeof listVersions>>;
  /** The pair compared, and the comparison (section by section). */
  pair?: { a: number; b: number } | undefined;
  diff?: SectionDiff[] | undefined;
  /** The pair asked for is not two versions of this proposal (400). */
  error?: string | undefined;
  defaultA?: number | undefined;
  defaultB?: number | undefined;
}

/** `/proposals/[id]/versions?a=&b=`: two frozen versions compared section by section. */
export const proposalVersionsPage: PageModule<VersionsModel> = {
  async load(ctx) {
    const { app, t } = ctx;
    const access = await proposalAccess(app.db, ctx.viewer, ctx.params.id ?? '');
    if (!access || !ctx.viewer) return notFound();
    const { proposal } = access;
    const versions = await listVersions(app.db, proposal.id);
    const params = ctx.url.searchParams;
    let pair: VersionsModel['pair'];
    let diff: SectionDiff[] | undefined;
    let error: string | undefined;
    if (params.has('a') || params.has('b')) {
      pair = parseVersionPair(params.get('a'), params.get('b'));
      const [a, b] = pair
        ? await Promise.all([findVersion(app.db, proposal.id, pair.a), findVersion(app.db, proposal.id, pair.b)])
        : [];
      if (!pair || !a || !b) {
        error = t('proposals.versions.bad');
        pair = undefined;
      } else {
        diff = compareVersions(a.content, b.content);
      }
    }
    return {
      proposalId: proposal.id,
      title: proposalTitle(proposal.draft, t),
      versions,
      pair,
      diff,
      error,
      defaultA: pair?.a ?? versions[versions.length - 2]?.number,
      defaultB: pair?.b ?? versions[versions.length - 1]?.number,
    };
  },
};
