import { createHmac, timingSafeEqual } from 'node:crypto';

// The unsubscribe link of an alert mail works without signing in: it carries the saved
// search's id and an HMAC of it under the site's secret (the one better-auth signs with).

function mac(secret: string, id: string): Buffer {
  return createHmac('sha256', secret).update(`saved-search-unsubscribe:${id}`).digest();
}

export function unsubscribeToken(secret: string, id: string): string {
  return mac(secret, id).toString('base64url');
}

/** True when `token` is the signature of `id` (compared in constant time). */
export function verifyUnsubscribeToken(secret: string, id: string, token: string): boolean {
  // Compared as text: decoding would let the unused low bits of the last character vary.
  const given = Buffer.from(token);
  const expected = Buffer.from(unsubscribeToken(secret, id));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(siteBase: string, secret: string, id: string): string {
  return `${siteBase}/alerts/unsubscribe?s=${encodeURIComponent(id)}&t=${unsubscribeToken(secret, id)}`;
}

/** The secret the site signs with: better-auth's own (BETTER_AUTH_SECRET, or the generated one). */
export async function siteSecret(app: { auth: { $context: Promise<{ secret: string }> } }): Promise<string> {
  return (await app.auth.$context).secret;
}
