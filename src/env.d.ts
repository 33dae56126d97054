/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The process's services (database, search, reference data), set by middleware for every route but /healthz. */
    app: import('./lib/server/bootstrap.ts').AppServices;
  }
}
