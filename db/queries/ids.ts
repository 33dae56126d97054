/**
 * The site's own row ids (consortia, proposals, vettings, introductions, attachments) are uuids:
 * anything else names nothing, and is answered 404 without reaching PostgreSQL (which would
 * refuse it as an invalid uuid).
 */
export function isUuid(value: string | null | undefined): value is string {
  return !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
