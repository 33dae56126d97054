import { account } from './en/account.ts';
import { admin } from './en/admin.ts';
import { catalog } from './en/catalog.ts';
import { organizations } from './en/organizations.ts';

/** English messages, one file per feature under en/. Keys are stable; other languages add a file of the same shape. */
export const en = { ...catalog, ...account, ...organizations, ...admin } as const;

export type MessageKey = keyof typeof en;
