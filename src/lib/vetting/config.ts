/**
 * Vetting configuration: the default of `VETTING_VALIDITY_MONTHS` (the site reads the setting
 * through `astro:env` into the app's configuration, `config.vettingValidityMonths`; the
 * command-line tools read it with `validityMonths(process.env)` in `configFromEnv`), and the
 * windows of the renewal reminder and of early renewal.
 */

/** How long a verification lasts when `VETTING_VALIDITY_MONTHS` is not set. */
export const DEFAULT_VALIDITY_MONTHS = 12;
/** A verified buyer is reminded this many days before the verification lapses. */
export const REMINDER_DAYS = 30;
/** A verified buyer may ask for renewal from this many days before the verification lapses. */
export const RENEWAL_WINDOW_DAYS = 60;

/** Reads `VETTING_VALIDITY_MONTHS` (a whole number from 1 to 60) of an environment, else the default; throws on a bad value. */
export function validityMonths(env: Record<string, string | undefined>): number {
  const raw = env.VETTING_VALIDITY_MONTHS?.trim();
  if (!raw) return DEFAULT_VALIDITY_MONTHS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 60) {
    throw new Error(`VETTING_VALIDITY_MONTHS must be a whole number of months from 1 to 60 (got "${raw}").`);
  }
  return value;
}

/** `date` plus whole calendar months (UTC); the 31st of a shorter month becomes its last day. */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const last = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, last));
  return result;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
