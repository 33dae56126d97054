import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import type { AuditAction } from '../../../db/schema/audit-event.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { insertIntroductionEvent } from '../../../db/queries/introductions.ts';
import type { MoveActor } from '../vetting/record.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The security audit entry of something a person did on an introduction, in the caller's transaction. */
export async function auditIntroduction(
  tx: Db,
  introductionId: string,
  actor: MoveActor,
  action: AuditAction,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(tx, {
    action,
    actorId: actor.id,
    actorEmail: actor.email,
    subjectType: 'introduction',
    subjectId: introductionId,
    ipAddress: actor.ip ?? null,
    details,
  });
}

/**
 * Records one move on an introduction: its event (the history every side sees) and the
 * security audit entry, in the caller's transaction. The request and every later move are written here.
 */
export async function recordIntroductionMove(
  tx: Db,
  move: {
    introductionId: string;
    move: string;
    from: string;
    to: string;
    actor: MoveActor;
    note: string | null;
    at: Date;
    audit: { action: 'introduction-requested' | 'introduction-moved'; details: Record<string, unknown> };
  },
): Promise<void> {
  await insertIntroductionEvent(tx, {
    introductionId: move.introductionId,
    move: move.move,
    fromState: move.from,
    toState: move.to,
    actorId: move.actor.id,
    note: move.note,
    at: move.at,
  });
  await auditIntroduction(tx, move.introductionId, move.actor, move.audit.action, move.audit.details);
}
