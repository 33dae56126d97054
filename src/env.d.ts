/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The process's services (database, search, auth, mail, reference data); set for every route but /healthz and /readyz. */
    app: import('./lib/server/bootstrap.ts').AppServices;
    /** The reader's translator (language, plural rules, formats), chosen once per request. */
    t: import('./i18n/index.ts').Translator;
    /** The client's address (the socket's, or the trusted proxy header's). */
    clientIp: string;
    /** The signed-in person, if any. */
    user?: {
      id: string;
      name: string;
      email: string;
      role: import('../db/schema/user.ts').SiteRole;
      twoFactorEnabled: boolean;
    };
    session?: { id: string; token: string; createdAt: Date };
    /** This request's id (also the `X-Request-Id` answer header and `reqId` in the logs). */
    requestId?: string;
    /** A body the form or JSON reader refused; the 400 page shows it. */
    inputError?: import('./lib/server/forms.ts').InputError;
  }
}
