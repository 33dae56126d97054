import type { ScreeningCandidate, ScreeningListEvidence, ScreeningResult } from '../screening/match.ts';

/** A summary of an earlier screening of the same request, kept when a newer list re-screens it. */
export interface EarlierScreening {
  screenedAt: string;
  list: { importId: string; importedAt: string; filename: string } | null;
  candidates: { entryId: string; name: string; source: string; score: number }[];
}

/** A screening an officer ran on the "Screen a name" page and attached to the request. */
export interface AttachedScreening {
  attachedAt: string;
  officerId: string;
  officerEmail: string;
  note: string | null;
  result: ScreeningResult;
}

/**
 * The evidence kept in `vetting.screening`: the screening result (names screened, minimum score,
 * list used with its source lists and dates, candidates with their score per alias), the
 * candidates a re-screen found that the earlier evidence did not have, and the earlier screenings.
 */
export interface VettingEvidence extends ScreeningResult {
  newEntryIds: string[];
  history: EarlierScreening[];
  /** Screenings attached by officers, newest first. */
  attached: AttachedScreening[];
}

const MAX_HISTORY = 20;

/** Reads stored evidence back; anything missing is given its empty value (never throws). */
export function readEvidence(stored: unknown): VettingEvidence {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Partial<VettingEvidence>;
  return {
    screenedAt: typeof raw.screenedAt === 'string' ? raw.screenedAt : '',
    names: Array.isArray(raw.names) ? raw.names.filter((n): n is string => typeof n === 'string') : [],
    minScore: typeof raw.minScore === 'number' ? raw.minScore : 0,
    list: raw.list && typeof raw.list === 'object' ? (raw.list as ScreeningListEvidence) : null,
    via: raw.via === 'database' ? 'database' : raw.via === 'search' ? 'search' : 'index',
    ...(typeof raw.country === 'string' ? { country: raw.country } : {}),
    candidates: Array.isArray(raw.candidates)
      ? (raw.candidates as ScreeningCandidate[]).filter((c) => c && typeof c.entryId === 'string')
      : [],
    newEntryIds: Array.isArray(raw.newEntryIds) ? raw.newEntryIds.filter((n): n is string => typeof n === 'string') : [],
    history: Array.isArray(raw.history) ? raw.history : [],
    attached: Array.isArray(raw.attached) ? raw.attached.filter((a) => a && typeof a === 'object' && a.result) : [],
  };
}

/** The evidence of a first screening. */
export function firstEvidence(result: ScreeningResult): VettingEvidence {
  return { ...result, newEntryIds: [], history: [], attached: [] };
}

function summarize(evidence: VettingEvidence): EarlierScreening {
  return {
    screenedAt: evidence.screenedAt,
    list: evidence.list
      ? { importId: evidence.list.importId, importedAt: evidence.list.importedAt, filename: evidence.list.filename }
      : null,
    candidates: evidence.candidates.map((c) => ({ entryId: c.entryId, name: c.name, source: c.source, score: c.score })),
  };
}

/**
 * The evidence after a re-screen: the new result, the candidates it found that the stored
 * evidence did not have (`fresh`), and those still unreviewed from before (`newEntryIds`,
 * kept while the request still has new matches to look at).
 */
export function rescreenedEvidence(
  previous: VettingEvidence,
  result: ScreeningResult,
  stillFlagged: boolean,
): { evidence: VettingEvidence; fresh: string[] } {
  const known = new Set(previous.candidates.map((c) => c.entryId));
  const current = new Set(result.candidates.map((c) => c.entryId));
  const fresh = result.candidates.map((c) => c.entryId).filter((id) => !known.has(id));
  const carried = stillFlagged ? previous.newEntryIds.filter((id) => current.has(id)) : [];
  const newEntryIds = [...new Set([...carried, ...fresh])];
  const history = previous.screenedAt ? [summarize(previous), ...previous.history].slice(0, MAX_HISTORY) : previous.history;
  return { evidence: { ...result, newEntryIds, history, attached: previous.attached }, fresh };
}
