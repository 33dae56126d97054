import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createAuth, type Auth } from '../../src/lib/auth/index.ts';
import { createMailer } from '../../src/lib/mail/index.ts';
import { ensureUser } from '../../src/lib/auth/users.ts';
import { deleteAccount, exportUserData } from '../../src/lib/account/data.ts';
import { testDb } from '../fixtures/db.ts';
import { startSmtp } from '../fixtures/smtp.ts';
import { SITE, call, cookieHeader, totpFor } from '../fixtures/auth.ts';

describe('accounts through better-auth, with mail over real SMTP', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let auth: Auth;

  beforeAll(async () => {
    handle = await testDb();
    smtp = await startSmtp();
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'AIX <no-reply@aiexports.example.com>', db: handle.db });
    auth = createAuth({
      db: handle.db,
      baseURL: SITE,
      secret: 'integration-test-secret-0123456789abcdef',
      mailer,
      production: false,
    });
  });
  afterAll(async () => {
    await smtp.stop();
    await handle.close();
  });

  const password = 'a quiet river at dawn';

  it('refuses short and breached passwords at sign-up, with the reason', async () => {
    const short = await call(auth, '/sign-up/email', {
      body: { email: 'short@example.com', name: 'S', password: 'too short pw' },
      ip: '203.0.113.1',
    });
    expect(short.status).toBe(400);
    const breached = await call(auth, '/sign-up/email', {
      body: { email: 'breach@example.com', name: 'B', password: '123456789987654321' },
      ip: '203.0.113.1',
    });
    expect(breached.status).toBe(400);
    expect(breached.json.message).toMatch(/data breaches/);
  });

  it('signs up, delivers the verification link by SMTP, verifies by following it, then signs in', async () => {
    const email = 'new.buyer@example.com';
    const signUp = await call(auth, '/sign-up/email', {
      body: { email, name: 'New Buyer', password, callbackURL: '/account/sign-in?verified=1' },
      ip: '203.0.113.2',
    });
    expect(signUp.status).toBe(200);

    const early = await call(auth, '/sign-in/email', {
      body: { email, password, callbackURL: '/account/sign-in?verified=1' },
      ip: '203.0.113.2',
    });
    expect(early.status).toBe(403);
    expect(early.json.code).toBe('EMAIL_NOT_VERIFIED');

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Confirm your email address');
    const link = /http:\/\/localhost:4321\/api\/auth\/verify-email\?\S+/.exec(mail.text)?.[0];
    expect(link).toBeTruthy();
    const verified = await call(auth, link!, { ip: '203.0.113.2' });
    expect(verified.status).toBe(302);
    expect(verified.headers.get('location')).toContain('/account/sign-in?verified=1');

    const signIn = await call(auth, '/sign-in/email', { body: { email, password }, ip: '203.0.113.2' });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.getSetCookie().join()).toMatch(/aix\.session_token=.*HttpOnly.*SameSite=Lax/i);
    const session = await call(auth, '/get-session', { cookie: signIn.cookie });
    expect(session.json.user.email).toBe(email);

    const events = await handle.db.selectFrom('audit_event').select('action').where('actorEmail', '=', email).execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['sign-up', 'sign-in-failed', 'email-verified', 'sign-in']),
    );
  });

  it('slows repeated failed sign-ins down with 429, by client address, without locking the account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await call(auth, '/sign-in/email', {
            body: { email: 'new.buyer@example.com', password: 'wrong wrong wrong wrong' },
            ip: '203.0.113.66',
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The limit is stored in the database, so it holds across processes.
    const stored = await sql<{ n: number }>`select count(*)::int as n from rate_limit`.execute(handle.db);
    expect(stored.rows[0]!.n).toBeGreaterThan(0);
    // Another address is not held back, and the right password still works there.
    const elsewhere = await call(auth, '/sign-in/email', {
      body: { email: 'new.buyer@example.com', password },
      ip: '203.0.113.67',
    });
    expect(elsewhere.status).toBe(200);
  });

  it('sends a reset link, and the reset signs every session out', async () => {
    const email = 'new.buyer@example.com';
    const before = await call(auth, '/sign-in/email', { body: { email, password }, ip: '203.0.113.3' });
    const requested = await call(auth, '/request-password-reset', {
      body: { email, redirectTo: '/account/reset-password' },
      ip: '203.0.113.3',
    });
    expect(requested.status).toBe(200);
    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Reset your password');
    const link = /http:\/\/localhost:4321\/api\/auth\/reset-password\/\S+/.exec(mail.text)![0];
    const landing = await call(auth, link, { ip: '203.0.113.3' });
    const token = new URL(landing.headers.get('location')!, SITE).searchParams.get('token')!;
    expect(token).toBeTruthy();
    const weak = await call(auth, '/reset-password', { body: { token, newPassword: 'qazwsxedcrfvtgb' }, ip: '203.0.113.3' });
    expect(weak.status).toBe(400);
    const reset = await call(auth, '/reset-password', {
      body: { token, newPassword: 'a new and longer passphrase' },
      ip: '203.0.113.3',
    });
    expect(reset.status).toBe(200);
    expect((await call(auth, '/get-session', { cookie: before.cookie })).json).toBeNull();
  });

  it('turns on TOTP two-factor sign-in, then asks for a code at sign-in; backup codes work once', async () => {
    const email = 'officer.two@example.com';
    const pw = 'officer passphrase for tests';
    await ensureUser(auth, handle.db, { email, name: 'Officer Two', password: pw, role: 'officer' });
    const first = await call(auth, '/sign-in/email', { body: { email, password: pw }, ip: '203.0.113.4' });
    const enabled = await call(auth, '/two-factor/enable', { body: { password: pw }, cookie: first.cookie, ip: '203.0.113.4' });
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = enabled.json as { totpURI: string; backupCodes: string[] };
    expect(backupCodes).toHaveLength(10);
    const confirm = await call(auth, '/two-factor/verify-totp', {
      body: { code: await totpFor(totpURI) },
      cookie: first.cookie,
      ip: '203.0.113.4',
    });
    expect(confirm.status).toBe(200);
    const user = await handle.db
      .selectFrom('user')
      .select('twoFactorEnabled')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(user.twoFactorEnabled).toBe(true);

    const second = await call(auth, '/sign-in/email', { body: { email, password: pw }, ip: '203.0.113.5' });
    expect(second.json.twoFactorRedirect).toBe(true);
    expect(second.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    const wrong = await call(auth, '/two-factor/verify-totp', {
      body: { code: '000000' },
      cookie: second.cookie,
      ip: '203.0.113.5',
    });
    expect(wrong.status).toBe(401);
    const right = await call(auth, '/two-factor/verify-totp', {
      body: { code: await totpFor(totpURI) },
      cookie: second.cookie,
      ip: '203.0.113.5',
    });
    expect(right.status).toBe(200);
    // A code is good once: accepted codes are recorded, and a recorded one is refused (replay).
    const officerId = (await handle.db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    expect(
      (await handle.db.selectFrom('two_factor_used_code').select('userId').where('userId', '=', officerId).execute()).length,
    ).toBeGreaterThan(0);
    const { createOTP } = await import('@better-auth/utils/otp');
    const { base32 } = await import('@better-auth/utils/base32');
    const current = await createOTP(base32.decode(new URL(totpURI).searchParams.get('secret')!)).totp();
    await handle.db
      .insertInto('two_factor_used_code')
      .values({ userId: officerId, code: current })
      .onConflict((oc) => oc.columns(['userId', 'code']).doNothing())
      .execute();
    const replay = await call(auth, '/sign-in/email', { body: { email, password: pw }, ip: '203.0.113.10' });
    const replayed = await call(auth, '/two-factor/verify-totp', {
      body: { code: current },
      cookie: replay.cookie,
      ip: '203.0.113.10',
    });
    expect(replayed.status).toBe(401);
    expect(replayed.json.code).toBe('TOTP_REUSED');
    expect((await call(auth, '/get-session', { cookie: cookieHeader(right.headers, second.cookie) })).json.user.email).toBe(
      email,
    );

    const third = await call(auth, '/sign-in/email', { body: { email, password: pw }, ip: '203.0.113.6' });
    const backup = await call(auth, '/two-factor/verify-backup-code', {
      body: { code: backupCodes[0] },
      cookie: third.cookie,
      ip: '203.0.113.6',
    });
    expect(backup.status).toBe(200);
    const fourth = await call(auth, '/sign-in/email', { body: { email, password: pw }, ip: '203.0.113.8' });
    const reused = await call(auth, '/two-factor/verify-backup-code', {
      body: { code: backupCodes[0] },
      cookie: fourth.cookie,
      ip: '203.0.113.8',
    });
    expect(reused.status).toBe(401);

    const actions = (await handle.db.selectFrom('audit_event').select('action').where('actorEmail', '=', email).execute()).map(
      (e) => e.action,
    );
    expect(actions).toContain('two-factor-enabled');
  });

  it('exports a person’s data and deletes the account, keeping the audit trail', async () => {
    const email = 'leaving@example.com';
    const { id } = await ensureUser(auth, handle.db, {
      email,
      name: 'Leaving Soon',
      password: 'passphrase of someone departing',
      role: 'buyer',
    });
    await call(auth, '/sign-in/email', { body: { email, password: 'passphrase of someone departing' }, ip: '203.0.113.9' });
    const data = await exportUserData(handle.db, id);
    expect(data.user.email).toBe(email);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toMatch(/"token"|"password"/);
    expect(await deleteAccount(handle.db, id, '203.0.113.9')).toEqual({ ok: true });
    expect(await handle.db.selectFrom('session').select('id').where('userId', '=', id).execute()).toEqual([]);
    const trail = await handle.db.selectFrom('audit_event').select('action').where('actorEmail', '=', email).execute();
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['sign-up', 'sign-in', 'account-deleted']));
  });

  it('keeps the audit log append-only', async () => {
    await expect(sql`update audit_event set action = 'sign-in'`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event`.execute(handle.db)).rejects.toThrow(/append-only/);
  });
});
