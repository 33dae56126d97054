// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';

/**
 * `astro dev`: start the services (database, search, jobs) with the server, not on the first
 * visit, by making one request once it listens; if they cannot start,
 * `src/lib/server/runtime.ts` says why and ends the process (as `npm run serve` does).
 * @returns {import('astro').AstroIntegration}
 */
function servicesAtDevStart() {
  return {
    name: 'aiexports:services-at-dev-start',
    hooks: {
      'astro:server:start': ({ address }) => {
        const ipv6 = address.family === 'IPv6';
        const any = address.address === '::' || address.address === '0.0.0.0';
        const host = ipv6 ? `[${any ? '::1' : address.address}]` : any ? '127.0.0.1' : address.address;
        // Any route but the probes starts them; this one is light to load (an unknown package: 404).
        // Not awaited: the server answers meanwhile.
        void fetch(`http://${host}:${address.port}/api/v1/packages/-start-`).then(
          (response) => response.body?.cancel(),
          () => undefined,
        );
      },
    },
  };
}

// Every setting the site reads is declared here once and documented in the README.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [servicesAtDevStart()],
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 4321) },
  security: {
    // Cross-site form posts are refused (Origin checked on every non-GET request) by the site's
    // middleware (src/middleware/index.ts), the same check as Astro's but for the one route that
    // must take them: RFC 8058 one-click unsubscribe from alert mails.
    checkOrigin: false,
    // A CSP <meta> with hashes of the scripts and styles Astro emits: no 'unsafe-inline'.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
    },
  },
  build: { inlineStylesheets: 'never' },
  env: {
    schema: {
      DATA_DIR: envField.string({ context: 'server', access: 'secret', default: './data' }),
      DATABASE_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MEILI_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MEILI_MASTER_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      MEILI_MAX_INDEXING_MEMORY: envField.string({ context: 'server', access: 'secret', optional: true }),
      DEMO_DATA: envField.boolean({ context: 'server', access: 'secret', default: true }),
      APP_ENV: envField.enum({
        context: 'server',
        access: 'secret',
        values: ['development', 'production'],
        default: 'development',
      }),
      SITE_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      BETTER_AUTH_SECRET: envField.string({ context: 'server', access: 'secret', optional: true }),
      SMTP_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MAIL_FROM: envField.string({
        context: 'server',
        access: 'secret',
        default: 'American AI Exports <no-reply@aiexports.example.com>',
      }),
      ADMIN_EMAIL: envField.string({ context: 'server', access: 'secret', optional: true }),
      ADMIN_PASSWORD: envField.string({ context: 'server', access: 'secret', optional: true }),
      TRUST_PROXY_HEADER: envField.string({ context: 'server', access: 'secret', optional: true }),
      // Read by src/lib/server/log.ts (also in the command-line tools) from process.env.
      LOG_LEVEL: envField.enum({
        context: 'server',
        access: 'secret',
        values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        default: 'info',
      }),
      // Default 0.8 (src/lib/screening/match.ts DEFAULT_MIN_SCORE), chosen from npm run screening:eval.
      SCREENING_MIN_SCORE: envField.number({ context: 'server', access: 'secret', optional: true, gt: 0, max: 1, default: 0.8 }),
      VETTING_VALIDITY_MONTHS: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        int: true,
        min: 1,
        max: 60,
      }),
      ALERTS_INTERVAL_SECONDS: envField.number({
        context: 'server',
        access: 'secret',
        default: 60,
        int: true,
        min: 1,
        max: 86400,
      }),
      JOBS_CHECK_SECONDS: envField.number({
        context: 'server',
        access: 'secret',
        default: 60,
        int: true,
        min: 1,
        max: 3600,
      }),
      METRICS_ALLOW: envField.string({ context: 'server', access: 'secret', default: '127.0.0.0/8,::1/128' }),
      SITE_CONTACT_EMAIL: envField.string({ context: 'server', access: 'secret', default: 'aiexports@trade.example.gov' }),
      API_RATE_LIMIT: envField.number({ context: 'server', access: 'secret', optional: true, int: true, min: 0 }),
      API_RATE_WINDOW_SECONDS: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        int: true,
        min: 1,
        max: 86400,
      }),
      STATISTICS_MIN_COUNT: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        int: true,
        min: 1,
        max: 1000,
      }),
      SITE_OPERATOR: envField.string({
        context: 'server',
        access: 'secret',
        default: 'International Trade Administration, U.S. Department of Commerce',
      }),
    },
    validateSecrets: true,
  },
  vite: {
    css: {
      preprocessorOptions: {
        scss: {
          loadPaths: ['node_modules/@uswds/uswds/packages'],
          quietDeps: true,
          silenceDeprecations: ['import', 'global-builtin', 'if-function'],
        },
      },
    },
  },
});
