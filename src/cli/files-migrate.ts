// npm run files:migrate [-- --remove]: copies the attachments kept on the local disk
// (DATA_DIR/files) into the database's file store (DATABASE_URL), checks each copy against the
// attachment's SHA-256, and with --remove deletes the disk copy once it is checked.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createDb, migrateToLatest } from '../../db/index.ts';
import { DatabaseFileStore } from '../lib/files/database.ts';
import { isValidKey } from '../lib/files/index.ts';
import { configFromEnv } from '../lib/server/bootstrap.ts';
import { runCli } from './_services.ts';

async function* walk(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

async function sha256(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of stream) hash.update(piece);
  return hash.digest('hex');
}

await runCli(async () => {
  const config = configFromEnv();
  const remove = process.argv.includes('--remove');
  if (!config.databaseUrl) throw new Error('files:migrate moves files into PostgreSQL: set DATABASE_URL.');
  const { db, close } = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: 'files:migrate' });
  try {
    await migrateToLatest(db);
    const store = new DatabaseFileStore(db);
    const root = join(config.dataDir, 'files');
    const counts = { copied: 0, present: 0, removed: 0, skipped: 0, mismatched: 0 };
    for await (const path of walk(root)) {
      const key = relative(root, path).split(sep).join('/');
      if (!isValidKey(key) || key.endsWith('.tmp')) {
        counts.skipped++;
        continue;
      }
      const expected =
        (await db.selectFrom('attachment').select('sha256').where('storageKey', '=', key).executeTakeFirst())?.sha256 ??
        (await sha256(createReadStream(path)));
      const stored = await store.get(key);
      const matches = async () => {
        const file = await store.get(key);
        return file !== undefined && (await sha256(file.stream() as unknown as AsyncIterable<Uint8Array>)) === expected;
      };
      if (stored && (await matches())) counts.present++;
      else {
        await store.copyFile(key, path);
        if (!(await matches())) {
          counts.mismatched++;
          console.error(`${key}: the copy in the database does not match the file's SHA-256; the disk copy is kept.`);
          continue;
        }
        counts.copied++;
      }
      if (remove) {
        await rm(path);
        counts.removed++;
      }
    }
    console.log(
      `Files in ${root}: ${counts.copied} copied into the database, ${counts.present} already there, ` +
        `${counts.removed} removed from disk, ${counts.skipped} skipped (not store keys), ${counts.mismatched} not matching.`,
    );
    if (counts.mismatched) process.exitCode = 1;
  } finally {
    await close();
  }
});
