import type { PackageTable } from './package.ts';
import type { SearchOutboxTable } from './search-outbox.ts';

export interface Database {
  package: PackageTable;
  search_outbox: SearchOutboxTable;
}
