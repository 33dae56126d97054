/** A country (ISO alpha-2) or regional bloc (slug) a commercial service officer covers. */
export interface OfficerTerritoryTable {
  userId: string;
  kind: 'country' | 'region';
  code: string;
}
