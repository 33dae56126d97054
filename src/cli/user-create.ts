// npm run user:create -- --email E --name N --role R [--password P]
// Creates a verified account with a site role (staff accounts are never self-registered), or
// gives an existing account the role. The password may come from USER_PASSWORD instead.
import { parseArgs } from 'node:util';
import { bootstrap, configFromEnv } from '../lib/server/bootstrap.ts';
import { ensureUser } from '../lib/auth/users.ts';
import { passwordProblem } from '../lib/auth/password-policy.ts';
import { isStaff } from '../lib/server/access.ts';
import { isSiteRole } from '../lib/admin/queries.ts';
import { useTranslations, type MessageKey } from '../i18n/index.ts';
import { SITE_ROLES, type SiteRole } from '../../db/schema/user.ts';
import { findUserByEmail } from '../../db/queries/users.ts';
import { AppError } from '../../db/errors.ts';
import { runCli } from './_services.ts';

const t = useTranslations();
const roles = SITE_ROLES.join(', ');
const usage = t('admin.cli.usage', { roles });

interface Input {
  email: string;
  name: string;
  role: SiteRole;
  password: string | undefined;
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', `${message}\n\n${usage}`);
}

/** The command line and environment, checked before anything opens the database. */
function readInput(argv: string[], env: NodeJS.ProcessEnv): Input | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const email = (values.email ?? '').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw invalid(t('admin.cli.email.invalid'));
  const name = (values.name ?? '').trim();
  if (!name || name.length > 200) throw invalid(t('admin.cli.name.required'));
  const role = values.role?.trim();
  if (!isSiteRole(role)) throw invalid(t('admin.cli.role.invalid', { roles }));
  const password = values.password ?? (env.USER_PASSWORD || undefined);
  if (password !== undefined) {
    const problem = passwordProblem(password, { email, name });
    if (problem) throw new AppError('INVALID_INPUT', t(`password.${problem}` as MessageKey));
  }
  return { email, name, role, password };
}

await runCli(async () => {
  const input = readInput(process.argv.slice(2), process.env);
  if (input === 'help') {
    console.log(usage);
    return;
  }
  const app = await bootstrap({ ...configFromEnv(), demoData: false });
  try {
    const existing = await findUserByEmail(app.db, input.email);
    if (!existing && input.password === undefined) throw new AppError('INVALID_INPUT', t('admin.cli.password.required'));
    const result = await ensureUser(app.auth, app.db, {
      email: input.email,
      name: input.name,
      role: input.role,
      password: input.password ?? '',
    });
    const params = { email: input.email, name: input.name, role: input.role };
    if (result.created) console.log(t('admin.cli.created', params));
    else if (existing?.role !== input.role) console.log(t('admin.cli.updated', params));
    else console.log(t('admin.cli.unchanged', params));
    if (isStaff(input.role)) console.log(t('admin.cli.twoFactor', { role: input.role }));
  } finally {
    await app.close();
  }
});
