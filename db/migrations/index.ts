import type { Migration } from 'kysely';
import * as catalog from './2026-11-23-001-catalog.ts';
import * as accounts from './2026-11-23-002-accounts.ts';
import * as proposals from './2026-11-23-003-proposals.ts';
import * as vetting from './2026-11-23-004-vetting-introductions.ts';
import * as totpReplay from './2026-11-23-005-totp-replay.ts';
import * as catalogVersion from './2026-11-23-006-catalog-version.ts';
import * as evidenceKept from './2026-12-01-110-evidence-kept.ts';
import * as recordRevisions from './2026-12-01-120-record-revisions.ts';
import * as attachmentUploader from './2026-12-01-130-attachment-uploader.ts';
import * as screeningEvidence from './2026-12-01-140-screening-evidence.ts';
import * as savedSearches from './2026-12-01-160-saved-searches.ts';
import * as apiRateLimit from './2026-12-01-150-api-rate-limit.ts';
import * as jobLease from './2026-12-02-210-job-lease.ts';
import * as fileStore from './2026-12-02-220-file-store.ts';

/** The one migration history, PGlite and PostgreSQL alike. Append; never edit a shipped entry. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-001-catalog': catalog,
  '2026-11-23-002-accounts': accounts,
  '2026-11-23-003-proposals': proposals,
  '2026-11-23-004-vetting-introductions': vetting,
  '2026-11-23-005-totp-replay': totpReplay,
  '2026-11-23-006-catalog-version': catalogVersion,
  '2026-12-01-110-evidence-kept': evidenceKept,
  '2026-12-01-120-record-revisions': recordRevisions,
  '2026-12-01-130-attachment-uploader': attachmentUploader,
  '2026-12-01-140-screening-evidence': screeningEvidence,
  '2026-12-01-160-saved-searches': savedSearches,
  '2026-12-01-150-api-rate-limit': apiRateLimit,
  '2026-12-02-210-job-lease': jobLease,
  '2026-12-02-220-file-store': fileStore,
};
