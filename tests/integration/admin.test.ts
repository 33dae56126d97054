import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/index.ts';
import { acquireDataLock } from '../../db/lock.ts';
import { searchUsers } from '../../db/queries/users.ts';
import { getTerritory, officersCovering } from '../../db/queries/territories.ts';
import { CLIENT_IP_HEADER, createAuth, type Auth } from '../../src/lib/auth/index.ts';
import { ensureUser } from '../../src/lib/auth/users.ts';
import { createMailer } from '../../src/lib/mail/index.ts';
import { loadReference } from '../../src/lib/reference/index.ts';
import { runUserAction, type AdminContext } from '../../src/lib/admin/actions.ts';
import { searchAudit } from '../../src/lib/admin/audit.ts';
import { parseAuditQuery, parseUsersQuery } from '../../src/lib/admin/queries.ts';
import { testDb } from '../fixtures/db.ts';

const PASSWORD = 'correct horse battery staple demo';
const ADMIN_IP = '203.0.113.7';
const root = join(import.meta.dirname, '..', '..');

/** The Cookie header of a fresh session of this account (API-level sign-in: no two-factor step). */
async function signIn(auth: Auth, email: string): Promise<string> {
  const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('administration', () => {
  let handle: Awaited<ReturnType<typeof testDb>>;
  let auth: Auth;
  let ctx: AdminContext;
  let adminId: string;
  let counter = 0;

  /** A new verified account of the role. */
  async function newUser(role: 'buyer' | 'supplier' | 'officer' | 'reviewer' | 'admin' = 'buyer', name = `Person ${++counter}`) {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${counter}@example.com`;
    const { id } = await ensureUser(auth, handle.db, { email, name, password: PASSWORD, role });
    return { id, email };
  }
  const events = (action: string, subjectId: string) =>
    handle.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', action as never)
      .where('subjectId', '=', subjectId)
      .orderBy('id')
      .execute();
  const userRow = (id: string) => handle.db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sessionCount = async (id: string) =>
    Number(
      (
        await handle.db
          .selectFrom('session')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('userId', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    handle = await testDb();
    const mailer = createMailer({ from: 'test@example.com', db: handle.db });
    auth = createAuth({
      db: handle.db,
      baseURL: 'http://localhost:4321',
      secret: randomBytes(32).toString('base64url'),
      mailer,
      production: false,
    });
    const admin = await newUser('admin', 'Ada Admin');
    adminId = admin.id;
    const cookie = await signIn(auth, admin.email);
    // An administrator reaches /admin only with two-factor sign-in on; better-auth's admin API asks the same.
    await handle.db.updateTable('user').set({ twoFactorEnabled: true }).where('id', '=', admin.id).execute();
    ctx = {
      db: handle.db,
      auth,
      reference: await loadReference(),
      actor: { id: admin.id, email: admin.email },
      ip: ADMIN_IP,
      headers: new Headers({ cookie, [CLIENT_IP_HEADER]: ADMIN_IP }),
    };
  });
  afterAll(async () => {
    await handle?.close();
  });

  describe('role', () => {
    it('changes the role and records who, from where, from and to', async () => {
      const user = await newUser('buyer');
      const result = await runUserAction(ctx, user.id, { action: 'role', role: 'reviewer' });
      expect(result).toEqual({ ok: true, done: 'role' });
      expect((await userRow(user.id)).role).toBe('reviewer');
      const [event, ...more] = await events('role-changed', user.id);
      expect(more).toHaveLength(0);
      expect(event).toMatchObject({
        actorId: adminId,
        actorEmail: ctx.actor.email,
        subjectType: 'user',
        ipAddress: ADMIN_IP,
        details: { from: 'buyer', to: 'reviewer' },
      });
    });

    it('records nothing when the role stays the same', async () => {
      const user = await newUser('supplier');
      expect((await runUserAction(ctx, user.id, { action: 'role', role: 'supplier' })).ok).toBe(true);
      expect(await events('role-changed', user.id)).toHaveLength(0);
    });

    it('refuses an unknown role, a self-demotion and an unknown user', async () => {
      const user = await newUser('buyer');
      expect(await runUserAction(ctx, user.id, { action: 'role', role: 'superuser' })).toMatchObject({
        ok: false,
        status: 400,
        errors: { role: expect.any(String) },
      });
      expect((await userRow(user.id)).role).toBe('buyer');

      expect(await runUserAction(ctx, adminId, { action: 'role', role: 'buyer' })).toMatchObject({
        ok: false,
        status: 400,
        errors: { role: expect.stringContaining('your own role') },
      });
      expect((await userRow(adminId)).role).toBe('admin');
      expect(await events('role-changed', adminId)).toHaveLength(0);

      expect(await runUserAction(ctx, 'no-such-user', { action: 'role', role: 'buyer' })).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(await runUserAction(ctx, user.id, { action: 'drop-tables' })).toMatchObject({ ok: false, status: 400 });
      expect(await runUserAction(ctx, 'bad\u0000id', { action: 'revoke' })).toMatchObject({ ok: false, status: 404 });
    });
  });

  describe('territory', () => {
    it('sets and then replaces an officer’s countries and blocs', async () => {
      const officer = await newUser('officer');
      expect(
        await runUserAction(ctx, officer.id, { action: 'territory', countries: ['NG', 'KE'], regions: ['african-union'] }),
      ).toEqual({ ok: true, done: 'territory' });
      expect(await getTerritory(handle.db, officer.id)).toEqual({ countries: ['KE', 'NG'], regions: ['african-union'] });
      expect(await officersCovering(handle.db, 'KE', [])).toContain(officer.id);
      expect(await officersCovering(handle.db, 'GH', ['african-union'])).toContain(officer.id);

      // A single value (one option chosen) arrives as a string.
      expect(
        (await runUserAction(ctx, officer.id, { action: 'territory', countries: 'BR', regions: ['mercosur', 'asean'] })).ok,
      ).toBe(true);
      expect(await getTerritory(handle.db, officer.id)).toEqual({ countries: ['BR'], regions: ['asean', 'mercosur'] });
      expect(await officersCovering(handle.db, 'KE', [])).not.toContain(officer.id);

      const recorded = await events('territory-changed', officer.id);
      expect(recorded).toHaveLength(2);
      expect(recorded[0]).toMatchObject({
        actorId: adminId,
        ipAddress: ADMIN_IP,
        details: { countries: ['KE', 'NG'], regions: ['african-union'] },
      });
      expect(recorded[1]).toMatchObject({
        details: {
          countries: ['BR'],
          regions: ['asean', 'mercosur'],
          previous: { countries: ['KE', 'NG'], regions: ['african-union'] },
        },
      });

      // Clearing it is allowed too.
      expect((await runUserAction(ctx, officer.id, { action: 'territory' })).ok).toBe(true);
      expect(await getTerritory(handle.db, officer.id)).toEqual({ countries: [], regions: [] });
    });

    it('refuses unknown countries and blocs, and people who are not officers', async () => {
      const officer = await newUser('officer');
      await runUserAction(ctx, officer.id, { action: 'territory', countries: ['KE'], regions: [] });
      expect(await runUserAction(ctx, officer.id, { action: 'territory', countries: ['KE', 'XX'], regions: [] })).toMatchObject({
        ok: false,
        status: 400,
        errors: { countries: expect.any(String) },
      });
      expect(
        await runUserAction(ctx, officer.id, { action: 'territory', countries: ['ke'], regions: ['atlantis'] }),
      ).toMatchObject({
        ok: false,
        status: 400,
        errors: { countries: expect.any(String), regions: expect.any(String) },
      });
      expect(await getTerritory(handle.db, officer.id)).toEqual({ countries: ['KE'], regions: [] });

      const buyer = await newUser('buyer');
      expect(await runUserAction(ctx, buyer.id, { action: 'territory', countries: ['KE'] })).toMatchObject({
        ok: false,
        status: 400,
        errors: { countries: expect.stringContaining('officer') },
      });
      expect(await getTerritory(handle.db, buyer.id)).toEqual({ countries: [], regions: [] });
    });

    it('clears the territory when the person stops being an officer', async () => {
      const officer = await newUser('officer');
      await runUserAction(ctx, officer.id, { action: 'territory', countries: ['KE'], regions: ['eu'] });
      expect((await runUserAction(ctx, officer.id, { action: 'role', role: 'reviewer' })).ok).toBe(true);
      expect(await getTerritory(handle.db, officer.id)).toEqual({ countries: [], regions: [] });
      const last = (await events('territory-changed', officer.id)).at(-1);
      expect(last?.details).toMatchObject({
        countries: [],
        regions: [],
        reason: 'role-changed',
        previous: { countries: ['KE'], regions: ['eu'] },
      });
    });
  });

  describe('ban, unban and sessions', () => {
    it('bans: ends every session, blocks sign-in, records the event once', async () => {
      const user = await newUser('supplier');
      const cookie = await signIn(auth, user.email);
      await signIn(auth, user.email);
      expect(await sessionCount(user.id)).toBe(2);

      expect(await runUserAction(ctx, user.id, { action: 'ban', banReason: '  Fraudulent\u0000 listings  ' })).toEqual({
        ok: true,
        done: 'ban',
      });
      const row = await userRow(user.id);
      expect(row.banned).toBe(true);
      expect(row.banReason).toBe('Fraudulent listings');
      expect(await sessionCount(user.id)).toBe(0);
      expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
      await expect(auth.api.signInEmail({ body: { email: user.email, password: PASSWORD } })).rejects.toMatchObject({
        statusCode: 403,
        body: { code: 'BANNED_USER' },
      });

      // Written by better-auth's hook (src/lib/auth), not a second time by the admin code.
      const banned = await events('user-banned', user.id);
      expect(banned).toHaveLength(1);
      expect(banned[0]).toMatchObject({ actorId: adminId, actorEmail: ctx.actor.email, subjectType: 'user' });
    });

    it('refuses a ban without a reason, with an over-long reason, or of oneself', async () => {
      const user = await newUser('buyer');
      expect(await runUserAction(ctx, user.id, { action: 'ban', banReason: '   ' })).toMatchObject({
        ok: false,
        status: 400,
        errors: { banReason: expect.any(String) },
      });
      expect(await runUserAction(ctx, user.id, { action: 'ban', banReason: 'x'.repeat(501) })).toMatchObject({
        ok: false,
        status: 400,
      });
      expect(await runUserAction(ctx, adminId, { action: 'ban', banReason: 'oops' })).toMatchObject({
        ok: false,
        status: 400,
        errors: { banReason: expect.any(String) },
      });
      expect((await userRow(user.id)).banned).not.toBe(true);
      expect((await userRow(adminId)).banned).not.toBe(true);
    });

    it('refuses the admin API to someone who is not an administrator', async () => {
      const reviewer = await newUser('reviewer');
      const target = await newUser('buyer');
      const asReviewer: AdminContext = {
        ...ctx,
        actor: { id: reviewer.id, email: reviewer.email },
        headers: new Headers({ cookie: await signIn(auth, reviewer.email) }),
      };
      expect(await runUserAction(asReviewer, target.id, { action: 'ban', banReason: 'no' })).toMatchObject({
        ok: false,
        status: 403,
      });
      expect((await userRow(target.id)).banned).not.toBe(true);
    });

    it('unbans: sign-in works again', async () => {
      const user = await newUser('buyer');
      await runUserAction(ctx, user.id, { action: 'ban', banReason: 'Spam' });
      expect(await runUserAction(ctx, user.id, { action: 'unban' })).toEqual({ ok: true, done: 'unban' });
      const row = await userRow(user.id);
      expect(row.banned).toBe(false);
      expect(row.banReason).toBeNull();
      await expect(signIn(auth, user.email)).resolves.toContain('session_token');
      const unbanned = await events('user-unbanned', user.id);
      expect(unbanned).toHaveLength(1);
      expect(unbanned[0]).toMatchObject({ actorId: adminId });

      // Unbanning someone who is not banned changes and records nothing.
      expect((await runUserAction(ctx, user.id, { action: 'unban' })).ok).toBe(true);
      expect(await events('user-unbanned', user.id)).toHaveLength(1);
    });

    it('signs a user out everywhere', async () => {
      const user = await newUser('buyer');
      const cookie = await signIn(auth, user.email);
      await signIn(auth, user.email);
      expect(await runUserAction(ctx, user.id, { action: 'revoke' })).toEqual({ ok: true, done: 'revoke' });
      expect(await sessionCount(user.id)).toBe(0);
      expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
      const revoked = await events('sessions-revoked', user.id);
      expect(revoked).toHaveLength(1);
      expect(revoked[0]).toMatchObject({ actorId: adminId });
      // The administrator's own session is untouched.
      expect(await auth.api.getSession({ headers: ctx.headers })).not.toBeNull();
    });
  });

  describe('finding users', () => {
    it('matches part of the email or name, any case, and filters by role', async () => {
      const a = await newUser('supplier', 'Zebulon Quartz');
      const b = await newUser('officer', 'Quentin Zebra');
      await newUser('buyer', 'Unrelated Person');

      const byName = await searchUsers(handle.db, { q: 'zebulon', limit: 10, offset: 0 });
      expect(byName.rows.map((r) => r.id)).toEqual([a.id]);
      const byEmail = await searchUsers(handle.db, { q: 'QUENTIN.ZEBRA', limit: 10, offset: 0 });
      expect(byEmail.rows.map((r) => r.id)).toEqual([b.id]);
      const both = await searchUsers(handle.db, { q: 'zeb', limit: 10, offset: 0 });
      expect(both.total).toBe(2);
      const officers = await searchUsers(handle.db, { q: 'zeb', role: 'officer', limit: 10, offset: 0 });
      expect(officers.rows.map((r) => r.id)).toEqual([b.id]);
      expect(officers.rows[0]).toMatchObject({ emailVerified: true, role: 'officer' });
      // LIKE wildcards are taken literally.
      expect((await searchUsers(handle.db, { q: '%', limit: 10, offset: 0 })).total).toBe(0);
      expect((await searchUsers(handle.db, { q: '_', limit: 10, offset: 0 })).total).toBe(0);
    });

    it('pages through the results with the total', async () => {
      const all = await searchUsers(handle.db, { limit: 1000, offset: 0 });
      const first = await searchUsers(handle.db, { limit: 2, offset: 0 });
      const second = await searchUsers(handle.db, { limit: 2, offset: 2 });
      expect(first.total).toBe(all.total);
      expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.rows.slice(0, 4).map((r) => r.id));
    });

    it('reports bad URL parameters instead of failing', () => {
      expect(parseUsersQuery(new URLSearchParams('q=ada&role=admin&page=2'))).toEqual({
        query: { q: 'ada', role: 'admin', page: 2 },
        problems: [],
      });
      const bad = parseUsersQuery(new URLSearchParams(`q=${'x'.repeat(201)}&role=king&page=-1`));
      expect(bad.problems.map((p) => p.field).sort()).toEqual(['q', 'q', 'role']);
      // PostgreSQL refuses NUL in text: such input is a 400, never a database error.
      expect(parseUsersQuery(new URLSearchParams('q=a%00b')).problems).toHaveLength(1);
    });
  });

  describe('audit log', () => {
    it('filters by event and by person (email or id), newest first, paged by id', async () => {
      const user = await newUser('buyer', 'Audit Subject');
      for (const role of ['supplier', 'buyer', 'supplier'] as const) await runUserAction(ctx, user.id, { action: 'role', role });

      const byId = await searchAudit(handle.db, { user: user.id, action: 'role-changed', limit: 10 });
      expect(byId.rows.map((r) => r.details)).toEqual([
        { from: 'buyer', to: 'supplier' },
        { from: 'supplier', to: 'buyer' },
        { from: 'buyer', to: 'supplier' },
      ]);
      const byEmail = await searchAudit(handle.db, { user: user.email.toUpperCase(), limit: 50 });
      expect(byEmail.rows.map((r) => r.action)).toEqual(['role-changed', 'role-changed', 'role-changed', 'sign-up']);

      const page1 = await searchAudit(handle.db, { user: user.id, limit: 2 });
      expect(page1.rows).toHaveLength(2);
      expect(page1.next).toBe(Number(page1.rows[1]!.id));
      const page2 = await searchAudit(handle.db, { user: user.id, limit: 2, before: page1.next });
      expect(page2.rows).toHaveLength(2);
      expect(page2.next).toBeUndefined();
      expect(Number(page2.rows[0]!.id)).toBeLessThan(Number(page1.rows[1]!.id));

      const all = await searchAudit(handle.db, { limit: 5 });
      const ids = all.rows.map((r) => Number(r.id));
      expect(ids).toEqual([...ids].sort((x, y) => y - x));
    });

    it('reports bad URL parameters instead of failing', () => {
      expect(parseAuditQuery(new URLSearchParams('action=user-banned&user=a@b.c&before=42')).query).toEqual({
        action: 'user-banned',
        user: 'a@b.c',
        before: 42,
      });
      expect(parseAuditQuery(new URLSearchParams('action=hack&before=1;drop')).problems).toHaveLength(2);
      expect(parseAuditQuery(new URLSearchParams('user=a%00b')).problems).toHaveLength(1);
    });

    it('refuses UPDATE and DELETE (append-only trigger)', async () => {
      const [first] = await handle.db.selectFrom('audit_event').select('id').orderBy('id').limit(1).execute();
      expect(first).toBeDefined();
      await expect(sql`update audit_event set action = 'sign-in' where id = ${first!.id}`.execute(handle.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_event where id = ${first!.id}`.execute(handle.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_event`.execute(handle.db)).rejects.toThrow(/append-only/);
      expect((await handle.db.selectFrom('audit_event').select('id').where('id', '=', first!.id).execute()).length).toBe(1);
    });
  });
});

describe('npm run user:create', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'aix-user-create-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['src/cli/user-create.ts', ...args], {
        cwd: root,
        env: {
          ...process.env,
          DEMO_DATA: 'false',
          MEILI_URL: '',
          DATABASE_URL: '',
          ADMIN_EMAIL: '',
          ADMIN_PASSWORD: '',
          USER_PASSWORD: '',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('creates a verified account with the role and a password that signs in', async () => {
    const dir = tempDir();
    const result = await run(['--email', 'New.Officer@Example.com', '--name', 'Nia Officer', '--role', 'officer'], {
      DATA_DIR: dir,
      USER_PASSWORD: 'violet tractor sings at midnight',
    });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created the account new.officer@example.com');

    // The CLI has exited and released the data directory: open its database.
    const opened = await createDb({ dataDir: dir });
    try {
      const user = await opened.db
        .selectFrom('user')
        .selectAll()
        .where('email', '=', 'new.officer@example.com')
        .executeTakeFirstOrThrow();
      expect(user).toMatchObject({ name: 'Nia Officer', role: 'officer', emailVerified: true });
      const { rows } = await sql<{
        providerId: string;
        password: string | null;
      }>`select "providerId", password from account where "userId" = ${user.id}`.execute(opened.db);
      expect(rows).toEqual([{ providerId: 'credential', password: expect.any(String) }]);
      const siteAuth = createAuth({
        db: opened.db,
        baseURL: 'http://localhost:4321',
        secret: randomBytes(32).toString('base64url'),
        mailer: createMailer({ from: 'test@example.com', db: opened.db }),
        production: false,
      });
      const signedIn = await siteAuth.api.signInEmail({
        body: { email: 'new.officer@example.com', password: 'violet tractor sings at midnight' },
      });
      expect(signedIn.user.id).toBe(user.id);
    } finally {
      await opened.close();
    }
  });

  it('refuses a password that fails the policy, with the policy’s message', async () => {
    const dir = tempDir();
    const result = await run(['--email', 'a@example.com', '--name', 'A', '--role', 'admin', '--password', 'password1234567'], {
      DATA_DIR: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('This password appears in lists of passwords exposed in data breaches');
  });

  it('refuses an unknown role with the usage', async () => {
    const result = await run(['--email', 'a@example.com', '--name', 'A', '--role', 'emperor'], { DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('one of buyer, supplier, officer, reviewer, admin');
    expect(result.stderr).toContain('Usage: npm run user:create');
  });

  it('shows the lock’s message when the site holds the data directory', async () => {
    const dir = tempDir();
    const lock = acquireDataLock(dir, 'the site');
    try {
      const result = await run(
        ['--email', 'b@example.com', '--name', 'B', '--role', 'buyer', '--password', 'violet tractor sings at midnight'],
        { DATA_DIR: dir },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`is in use by process ${process.pid} (the site)`);
    } finally {
      lock.release();
    }
  });
});
