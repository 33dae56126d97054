import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { sql } from 'kysely';
import { admin, organization, twoFactor } from 'better-auth/plugins';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema/index.ts';
import { recordAudit } from '../../../db/queries/audit.ts';
import { useTranslations, type MessageKey, type Translator } from '../../i18n/index.ts';
import type { Mailer } from '../mail/index.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.ts';
import { gateAuthCall } from './http-gate.ts';

/** The request header the site sets to the client's address before better-auth sees a request. */
export const CLIENT_IP_HEADER = 'x-aix-client-ip';

/** Seconds. A session ends after this long without use… */
export const IDLE_TIMEOUT = 30 * 60;
/** …and in any case this long after sign-in (enforced by the session middleware). */
export const ABSOLUTE_TIMEOUT = 12 * 60 * 60;

export interface AuthOptions {
  db: Kysely<Database>;
  /** The site's public address, e.g. https://aiexports.gov. */
  baseURL: string;
  secret: string;
  mailer: Mailer;
  production: boolean;
  log?: (message: string) => void;
}

function passwordMessage(password: string, email?: string): string | undefined {
  const problem = passwordProblem(password, { email });
  return problem ? useTranslations()(`password.${problem}` as MessageKey) : undefined;
}

/**
 * better-auth on the site's own Kysely database: email and password with verification,
 * site roles (admin plugin), organizations, and TOTP two-factor sign-in with backup codes.
 */
export function createAuth(options: AuthOptions) {
  const { db, mailer } = options;
  const t = useTranslations();
  const secure = options.production;

  const audit = (ip: string | null | undefined, event: Omit<Parameters<typeof recordAudit>[1], 'ipAddress'>) =>
    recordAudit(db, { ...event, ipAddress: ip ?? null }).catch((error) => options.log?.(`Audit write failed: ${error}`));

  return betterAuth({
    appName: t('site.name'),
    baseURL: options.baseURL,
    basePath: '/api/auth',
    secret: options.secret,
    trustedOrigins: [options.baseURL],
    database: { db, type: 'postgres' },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: false,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      async sendResetPassword({ user, url }) {
        await mailer.send({
          to: user.email,
          subject: t('mail.reset.subject'),
          text: t('mail.reset.body', { name: user.name, url }),
        });
      },
      // Signing up with an address that has an account answers as for a new one (ASVS V6); the owner is told.
      async onExistingUserSignUp({ user }) {
        await sendExistingAccountNotice(mailer, options.baseURL, user);
      },
      async onPasswordReset({ user }) {
        await audit(null, {
          action: 'password-reset',
          actorId: user.id,
          actorEmail: user.email,
          subjectType: 'user',
          subjectId: user.id,
        });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: false,
      // A day: a buyer abroad may read the mail the next morning.
      expiresIn: 24 * 60 * 60,
      async sendVerificationEmail({ user, url }) {
        await mailer.send({
          to: user.email,
          subject: t('mail.verify.subject'),
          text: t('mail.verify.body', { name: user.name, url }),
        });
      },
      async afterEmailVerification(user) {
        await audit(null, {
          action: 'email-verified',
          actorId: user.id,
          actorEmail: user.email,
          subjectType: 'user',
          subjectId: user.id,
        });
      },
    },
    user: {
      changeEmail: {
        enabled: true,
        async sendChangeEmailConfirmation({ user, newEmail, url }) {
          await mailer.send({
            to: newEmail,
            subject: t('mail.changeEmail.subject'),
            text: t('mail.changeEmail.body', { name: user.name, newEmail, url }),
          });
        },
      },
    },
    session: {
      expiresIn: IDLE_TIMEOUT,
      updateAge: 60,
      freshAge: 10 * 60,
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rate_limit',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/*': { window: 60, max: 5 },
        '/sign-up/*': { window: 60, max: 3 },
        '/request-password-reset': { window: 300, max: 3 },
        '/reset-password': { window: 300, max: 5 },
        '/send-verification-email': { window: 300, max: 3 },
        '/verify-email': { window: 60, max: 10 },
        '/two-factor/*': { window: 60, max: 5 },
        '/change-password': { window: 300, max: 5 },
        '/change-email': { window: 300, max: 3 },
        '/verify-password': { window: 300, max: 5 },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // In production every cookie is __Host-: Secure, Path=/, no Domain.
      useSecureCookies: false,
      cookiePrefix: secure ? '__Host-aix' : 'aix',
      defaultCookieAttributes: { secure, sameSite: 'lax', httpOnly: true, path: '/' },
    },
    plugins: [
      admin({
        defaultRole: 'buyer',
        adminRoles: ['admin'],
        bannedUserMessage: t('signIn.banned'),
        // The site impersonates nobody (the endpoint is not served); were it reached, no longer than the idle limit.
        impersonationSessionDuration: IDLE_TIMEOUT,
      }),
      organization({
        // Organizations are created by sign-up (with their profile), never through the raw API.
        allowUserToCreateOrganization: false,
        // An organization's vetting record and introductions are evidence: it is closed, never deleted.
        disableOrganizationDeletion: true,
        creatorRole: 'owner',
        invitationExpiresIn: 7 * 24 * 60 * 60,
        async sendInvitationEmail({ email, organization: org, inviter, role, id }) {
          await mailer.send({
            to: email,
            subject: t('mail.invite.subject', { org: org.name }),
            text: t('mail.invite.body', {
              inviter: inviter.user.name,
              org: org.name,
              role,
              url: `${options.baseURL}/organizations/invitations/${id}`,
            }),
          });
        },
      }),
      twoFactor({
        issuer: t('site.name'),
        schema: { twoFactor: { modelName: 'two_factor' } },
        backupCodeOptions: { amount: 10, length: 10 },
      }),
    ],
    databaseHooks: {
      session: {
        create: {
          async after(session) {
            const user = await db.selectFrom('user').select('email').where('id', '=', session.userId).executeTakeFirst();
            await audit(session.ipAddress, {
              action: 'sign-in',
              actorId: session.userId,
              actorEmail: user?.email,
              subjectType: 'session',
              subjectId: session.id,
            });
          },
        },
      },
    },
    hooks: {
      // Password rules beyond length (breached, repetitive, personal) on every path that sets one.
      before: createAuthMiddleware(async (ctx) => {
        // Only the endpoints the site uses, called by whom its pages admit, with the forms' limits.
        const gated = await gateAuthCall(ctx);
        const body = (gated?.context.body ?? ctx.body ?? {}) as Record<string, unknown>;
        if (ctx.path === '/two-factor/verify-totp' && typeof body.code === 'string') {
          // A TOTP code is good once: refuse one this user had accepted in the last few minutes.
          const userId = await twoFactorUserOf(ctx);
          if (userId) {
            const used = await db
              .selectFrom('two_factor_used_code')
              .select('code')
              .where('userId', '=', userId)
              .where('code', '=', body.code.trim())
              .where('usedAt', '>', sql<Date>`now() - interval '5 minutes'`)
              .executeTakeFirst();
            if (used) throw new APIError('UNAUTHORIZED', { message: t('twoFactor.reused'), code: 'TOTP_REUSED' });
          }
        }
        const candidate =
          ctx.path === '/sign-up/email'
            ? body.password
            : ['/change-password', '/reset-password'].includes(ctx.path)
              ? body.newPassword
              : undefined;
        if (typeof candidate === 'string') {
          const email = typeof body.email === 'string' ? body.email : ctx.context.session?.user.email;
          const message = passwordMessage(candidate, email);
          if (message) throw new APIError('BAD_REQUEST', { message, code: 'PASSWORD_POLICY' });
        }
        return gated;
      }),
      after: createAuthMiddleware(async (ctx) => {
        const ip = (ctx.request?.headers ?? ctx.headers)?.get(CLIENT_IP_HEADER) ?? null;
        const returned = ctx.context.returned;
        const failed = returned instanceof APIError;
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const session = ctx.context.session ?? ctx.context.newSession;
        const actor = { actorId: session?.user.id ?? null, actorEmail: session?.user.email ?? null };
        if (ctx.path.startsWith('/sign-in/') && failed) {
          await audit(ip, {
            action: 'sign-in-failed',
            actorEmail: typeof body.email === 'string' ? body.email.toLowerCase() : null,
            details: { reason: returned.body?.code ?? returned.message },
          });
        } else if (ctx.path.startsWith('/two-factor/verify') && failed) {
          await audit(ip, { action: 'sign-in-failed', details: { reason: 'two-factor', code: returned.body?.code } });
        } else if (failed) {
          return;
        } else if (ctx.path === '/sign-up/email') {
          // better-auth answers a sign-up for a taken address with a made-up account: tell them apart here.
          const id = (returned as { user?: { id?: unknown } } | undefined)?.user?.id;
          const created =
            typeof id === 'string' ? await db.selectFrom('user').select('id').where('id', '=', id).executeTakeFirst() : undefined;
          await audit(ip, {
            action: created ? 'sign-up' : 'sign-up-duplicate',
            actorEmail: typeof body.email === 'string' ? body.email.toLowerCase() : null,
            ...(created ? { subjectType: 'user', subjectId: created.id } : {}),
          });
        } else if (ctx.path === '/sign-out') {
          await audit(ip, { action: 'sign-out', ...actor });
        } else if (ctx.path === '/change-password') {
          await audit(ip, {
            action: 'password-changed',
            ...actor,
            subjectType: 'user',
            subjectId: actor.actorId,
            details: { revokedOthers: body.revokeOtherSessions === true },
          });
        } else if (ctx.path === '/change-email') {
          await audit(ip, { action: 'email-change-requested', ...actor, details: { newEmail: body.newEmail } });
        }
        if (ctx.path === '/two-factor/verify-totp' && !failed && typeof body.code === 'string') {
          const userId = ctx.context.newSession?.user.id ?? ctx.context.session?.user.id;
          if (userId) {
            await db
              .insertInto('two_factor_used_code')
              .values({ userId, code: body.code.trim() })
              .onConflict((oc) => oc.columns(['userId', 'code']).doUpdateSet({ usedAt: sql`now()` }))
              .execute();
            await db
              .deleteFrom('two_factor_used_code')
              .where('usedAt', '<', sql<Date>`now() - interval '10 minutes'`)
              .execute();
          }
        }
        if (failed) {
          return;
        } else if (ctx.path === '/two-factor/verify-totp' && ctx.context.session && !ctx.context.session.user.twoFactorEnabled) {
          await audit(ip, { action: 'two-factor-enabled', ...actor, subjectType: 'user', subjectId: actor.actorId });
        } else if (ctx.path === '/two-factor/disable') {
          await audit(ip, { action: 'two-factor-disabled', ...actor, subjectType: 'user', subjectId: actor.actorId });
        } else if (ctx.path === '/revoke-other-sessions' || ctx.path === '/revoke-sessions' || ctx.path === '/revoke-session') {
          await audit(ip, { action: 'sessions-revoked', ...actor, details: { path: ctx.path } });
        } else if (ctx.path === '/admin/ban-user' || ctx.path === '/admin/unban-user') {
          await audit(ip, {
            action: ctx.path === '/admin/ban-user' ? 'user-banned' : 'user-unbanned',
            ...actor,
            subjectType: 'user',
            subjectId: String(body.userId ?? ''),
            details: ctx.path === '/admin/ban-user' ? { reason: body.banReason ?? null } : {},
          });
        } else if (ctx.path === '/admin/revoke-user-sessions') {
          await audit(ip, { action: 'sessions-revoked', ...actor, subjectType: 'user', subjectId: String(body.userId ?? '') });
        }
      }),
    },
  });
}

/** Mail to the owner of an address someone tried to sign up with: nothing on the page says it is taken. */
export async function sendExistingAccountNotice(
  mailer: Mailer,
  baseURL: string,
  user: { email: string; name: string },
  /** The language of the mail (the request's, when a page sends it). */
  t: Translator = useTranslations(),
) {
  await mailer.send({
    to: user.email,
    subject: t('mail.existing.subject'),
    text: t('mail.existing.body', {
      name: user.name,
      signIn: `${baseURL}/account/sign-in`,
      reset: `${baseURL}/account/forgot-password`,
    }),
  });
}

/** The user a TOTP code is for: the signed-in one (turning 2FA on), or the one halfway through signing in. */
async function twoFactorUserOf(ctx: Parameters<Parameters<typeof createAuthMiddleware>[0]>[0]): Promise<string | undefined> {
  const session = await getSessionFromCtx(ctx).catch(() => null);
  if (session) return session.user.id;
  const cookie = ctx.context.createAuthCookie('two_factor');
  const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (!identifier) return undefined;
  const verification = await ctx.context.internalAdapter.findVerificationValue(identifier);
  return verification?.value;
}

export type Auth = ReturnType<typeof createAuth>;
