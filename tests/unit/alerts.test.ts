import { describe, expect, it } from 'vitest';
import { isDue } from '../../src/lib/alerts/job.ts';
import { composeAlertMail } from '../../src/lib/alerts/mail.ts';
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from '../../src/lib/alerts/token.ts';
import { useTranslations } from '../../src/i18n/index.ts';

const ID = '0b6f3c1e-7f7a-4d2b-9c55-2d1f6f0a9e10';
const SECRET = 'a-test-secret-of-sufficient-length-0123456789';

describe('alert unsubscribe links', () => {
  it('verifies its own signature only: another id, another secret or a changed token fails', () => {
    const token = unsubscribeToken(SECRET, ID);
    expect(verifyUnsubscribeToken(SECRET, ID, token)).toBe(true);
    expect(verifyUnsubscribeToken(SECRET, ID.replace('0b6f', '0b6e'), token)).toBe(false);
    expect(verifyUnsubscribeToken(`${SECRET}x`, ID, token)).toBe(false);
    expect(verifyUnsubscribeToken(SECRET, ID, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(verifyUnsubscribeToken(SECRET, ID, '')).toBe(false);
    expect(verifyUnsubscribeToken(SECRET, ID, `${token}=`)).toBe(false);
    expect(unsubscribeUrl('https://aiexports.example.com', SECRET, ID)).toBe(
      `https://aiexports.example.com/alerts/unsubscribe?s=${ID}&t=${token}`,
    );
  });
});

describe('alert timing', () => {
  const created = new Date('2026-12-01T08:00:00Z');
  const at = (iso: string) => new Date(iso);
  it('mails immediate searches at once, digests a period after the last mail, and never when off', () => {
    expect(isDue({ frequency: 'immediate', lastMailedAt: null, createdAt: created }, created)).toBe(true);
    expect(isDue({ frequency: 'daily', lastMailedAt: null, createdAt: created }, at('2026-12-02T07:59:59Z'))).toBe(false);
    expect(isDue({ frequency: 'daily', lastMailedAt: null, createdAt: created }, at('2026-12-02T08:00:00Z'))).toBe(true);
    expect(
      isDue({ frequency: 'daily', lastMailedAt: at('2026-12-05T10:00:00Z'), createdAt: created }, at('2026-12-06T09:00:00Z')),
    ).toBe(false);
    expect(isDue({ frequency: 'weekly', lastMailedAt: null, createdAt: created }, at('2026-12-07T08:00:00Z'))).toBe(false);
    expect(isDue({ frequency: 'weekly', lastMailedAt: null, createdAt: created }, at('2026-12-08T08:00:00Z'))).toBe(true);
    expect(isDue({ frequency: 'off', lastMailedAt: null, createdAt: created }, at('2027-12-08T08:00:00Z'))).toBe(false);
  });
});

describe('alert mail', () => {
  it('names the search and the package, and ends with the unsubscribe link', () => {
    const mail = composeAlertMail(useTranslations('en'), {
      name: 'Kenya floods',
      frequency: 'immediate',
      packages: [{ title: 'Tana Flood AI', summary: 'Flood forecasting.', url: 'https://x.example/packages/tana' }],
      searchUrl: 'https://x.example/packages?q=flood',
      manageUrl: 'https://x.example/buyer/searches',
      unsubscribeUrl: 'https://x.example/alerts/unsubscribe?s=1&t=2',
    });
    expect(mail.subject).toBe('New package for “Kenya floods”: Tana Flood AI');
    expect(mail.text).toContain('A package that matches your saved search “Kenya floods” was designated or updated:');
    expect(mail.text.trim().endsWith('https://x.example/alerts/unsubscribe?s=1&t=2')).toBe(true);
    const two = composeAlertMail(useTranslations('en'), {
      name: 'Kenya floods',
      frequency: 'daily',
      packages: [
        { title: 'A', summary: 'a', url: 'https://x.example/packages/a' },
        { title: 'B', summary: 'b', url: 'https://x.example/packages/b' },
      ],
      searchUrl: 'https://x.example/packages?q=flood',
      manageUrl: 'https://x.example/buyer/searches',
      unsubscribeUrl: 'https://x.example/alerts/unsubscribe?s=1&t=2',
    });
    expect(two.subject).toBe('2 new packages for “Kenya floods”');
    expect(two.text).toContain('2 packages that match your saved search “Kenya floods” were designated or updated:');
  });
});
