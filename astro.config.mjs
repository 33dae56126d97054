// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';

// Every setting the site reads is declared here once and documented in the README.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 4321) },
  security: { checkOrigin: true },
  build: { inlineStylesheets: 'never' },
  env: {
    schema: {
      DATA_DIR: envField.string({ context: 'server', access: 'secret', default: './data' }),
      DATABASE_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MEILI_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MEILI_MASTER_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      DEMO_DATA: envField.boolean({ context: 'server', access: 'secret', default: true }),
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
