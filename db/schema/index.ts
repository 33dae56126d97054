import type { ApiRateLimitTable } from './api-rate-limit.ts';
import type { AttachmentTable } from './attachment.ts';
import type { AuditEventTable } from './audit-event.ts';
import type { CatalogVersionTable } from './catalog-version.ts';
import type { ConsortiumMemberTable, ConsortiumTable } from './consortium.ts';
import type { DevMailTable } from './dev-mail.ts';
import type { FileChunkTable, FileObjectTable } from './file-object.ts';
import type { JobLeaseTable } from './job-lease.ts';
import type { IntroductionEventTable, IntroductionMessageTable, IntroductionTable } from './introduction.ts';
import type { OfficerTerritoryTable } from './officer-territory.ts';
import type { InvitationTable, MemberTable, OrganizationTable } from './organization.ts';
import type { OrganizationProfileTable } from './organization-profile.ts';
import type { OrganizationClosureTable } from './organization-closure.ts';
import type { PackageTable } from './package.ts';
import type { PackageChangeTable } from './package-change.ts';
import type {
  ProposalConsultationTable,
  ProposalReviewTable,
  ProposalTable,
  ProposalTransitionTable,
  ProposalVersionTable,
} from './proposal.ts';
import type { ScreeningEntryTable, ScreeningImportTable } from './screening.ts';
import type { SavedSearchTable } from './saved-search.ts';
import type { SavedSearchDeliveryTable } from './saved-search-delivery.ts';
import type { SavedSearchMailTable } from './saved-search-mail.ts';
import type { SearchOutboxTable } from './search-outbox.ts';
import type { SessionTable, TwoFactorUsedCodeTable } from './session.ts';
import type { UserTable } from './user.ts';
import type { VettingEventTable, VettingTable } from './vetting.ts';

export interface Database {
  package: PackageTable;
  search_outbox: SearchOutboxTable;
  catalog_version: CatalogVersionTable;
  user: UserTable;
  session: SessionTable;
  organization: OrganizationTable;
  member: MemberTable;
  invitation: InvitationTable;
  organization_profile: OrganizationProfileTable;
  organization_closure: OrganizationClosureTable;
  officer_territory: OfficerTerritoryTable;
  audit_event: AuditEventTable;
  dev_mail: DevMailTable;
  consortium: ConsortiumTable;
  consortium_member: ConsortiumMemberTable;
  proposal: ProposalTable;
  proposal_version: ProposalVersionTable;
  proposal_transition: ProposalTransitionTable;
  proposal_consultation: ProposalConsultationTable;
  proposal_review: ProposalReviewTable;
  attachment: AttachmentTable;
  screening_import: ScreeningImportTable;
  screening_entry: ScreeningEntryTable;
  vetting: VettingTable;
  vetting_event: VettingEventTable;
  introduction: IntroductionTable;
  introduction_event: IntroductionEventTable;
  introduction_message: IntroductionMessageTable;
  two_factor_used_code: TwoFactorUsedCodeTable;
  saved_search: SavedSearchTable;
  package_change: PackageChangeTable;
  saved_search_delivery: SavedSearchDeliveryTable;
  saved_search_mail: SavedSearchMailTable;
  api_rate_limit: ApiRateLimitTable;
  job_lease: JobLeaseTable;
  file_object: FileObjectTable;
  file_chunk: FileChunkTable;
}
