import { ORG_ROLES } from '../../../db/schema/organization.ts';
import { roleList } from '../../../db/queries/organizations.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';

/** A member's role(s) in words: "Owner", "Administrator, Member". */
export function orgRoleLabel(t: Translator, role: string | null | undefined): string {
  return roleList(role)
    .map((r) => ((ORG_ROLES as readonly string[]).includes(r) ? t(`org.role.${r}` as MessageKey) : r))
    .join(', ');
}
