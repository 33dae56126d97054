import { account } from './en/account.ts';
import { alerts } from './en/alerts.ts';
import { admin } from './en/admin.ts';
import { catalog } from './en/catalog.ts';
import { consortia } from './en/consortia.ts';
import { organizations } from './en/organizations.ts';
import { proposals } from './en/proposals.ts';
import { review } from './en/review.ts';
import { introductions } from './en/introductions.ts';
import { vetting } from './en/vetting.ts';
import { screening } from './en/screening.ts';
import { files } from './en/files.ts';
import { opendata } from './en/opendata.ts';

/** English messages, one file per feature under en/. Keys are stable; other languages add a file of the same shape. */
export const en = {
  ...catalog,
  ...account,
  ...organizations,
  ...admin,
  ...consortia,
  ...proposals,
  ...review,
  ...vetting,
  ...introductions,
  ...alerts,
  ...screening,
  ...files,
  ...opendata,
} as const;

export type MessageKey = keyof typeof en;
