import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.ts';
import { PackageContent } from '../schema/package.ts';
import { upsertPackage } from '../queries/packages.ts';
import demoPackages from './demo-packages.json' with { type: 'json' };

/** The demo packages, validated: fictional consortia, realistic content. */
export function demoCatalog(): PackageContent[] {
  return (demoPackages as unknown[]).map((raw, i) => {
    const parsed = PackageContent.safeParse(raw);
    if (!parsed.success) throw new Error(`db/seed/demo-packages.json[${i}]: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Loads (or refreshes, by slug) the demo packages. Returns how many were written. */
export async function seedDemo(db: Kysely<Database>): Promise<number> {
  const packages = demoCatalog();
  for (const pkg of packages) await upsertPackage(db, pkg);
  return packages.length;
}
