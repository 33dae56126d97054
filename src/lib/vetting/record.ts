import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { insertVettingEvent } from '../../../db/queries/vetting.ts';

/** Who made a move: a person (with the address they came from), or null for the system's jobs. */
export interface MoveActor {
  id: string;
  email: string;
  ip?: string | null | undefined;
}

/**
 * Records one move on a vetting: its event (the history the officer and buyer see) and the
 * security audit entry, in the caller's transaction. Every move, the buyer's, the officer's and
 * the jobs', is written here.
 */
export async function recordVettingMove(
  tx: Kysely<Database> | Transaction<Database>,
  move: {
    vettingId: string;
    move: string;
    from: string;
    to: string;
    actor: MoveActor | null;
    reason: string | null;
    at: Date;
    audit: { action: 'vetting-requested' | 'vetting-decided'; details: Record<string, unknown> };
  },
): Promise<void> {
  await insertVettingEvent(tx, {
    vettingId: move.vettingId,
    move: move.move,
    fromState: move.from,
    toState: move.to,
    actorId: move.actor?.id ?? null,
    reason: move.reason,
    at: move.at,
  });
  await recordAudit(tx, {
    action: move.audit.action,
    subjectType: 'vetting',
    subjectId: move.vettingId,
    ...(move.actor ? { actorId: move.actor.id, actorEmail: move.actor.email, ipAddress: move.actor.ip ?? null } : {}),
    details: move.audit.details,
  });
}
