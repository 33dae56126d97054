import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.ts';

/**
 * The reads of the program statistics (src/lib/statistics): every introduction with its moves,
 * and the latest vetting of every buyer organization with its country. Aggregation happens in
 * the caller, which withholds small counts.
 */

export interface IntroductionTimeline {
  id: string;
  state: string;
  outcome: string | null;
  createdAt: Date;
  events: { move: string; fromState: string; toState: string; at: Date }[];
}

export async function listIntroductionTimelines(db: Kysely<Database>): Promise<IntroductionTimeline[]> {
  const [rows, events] = await Promise.all([
    db.selectFrom('introduction').select(['id', 'state', 'outcome', 'createdAt']).orderBy('createdAt').execute(),
    db
      .selectFrom('introduction_event')
      .select(['introductionId', 'move', 'fromState', 'toState', 'at'])
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  const byId = new Map<string, IntroductionTimeline>();
  for (const row of rows) byId.set(row.id, { ...row, createdAt: new Date(row.createdAt), events: [] });
  for (const event of events) {
    byId.get(event.introductionId)?.events.push({
      move: event.move,
      fromState: event.fromState,
      toState: event.toState,
      at: new Date(event.at),
    });
  }
  return [...byId.values()];
}

export interface BuyerVetting {
  organizationId: string;
  country: string | null;
  state: string;
  expiresAt: Date | null;
}

/** The latest vetting of each organization that asked for one, with the organization's country. */
export async function listLatestVettings(db: Kysely<Database>): Promise<BuyerVetting[]> {
  const rows = await db
    .selectFrom('vetting')
    .leftJoin('organization_profile', 'organization_profile.organizationId', 'vetting.organizationId')
    .select(['vetting.organizationId', 'organization_profile.country', 'vetting.state', 'vetting.expiresAt', 'vetting.createdAt'])
    .orderBy('vetting.createdAt', 'desc')
    .execute();
  const latest = new Map<string, BuyerVetting>();
  for (const row of rows) {
    if (latest.has(row.organizationId)) continue;
    latest.set(row.organizationId, {
      organizationId: row.organizationId,
      country: row.country ?? null,
      state: row.state,
      expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
    });
  }
  return [...latest.values()];
}
