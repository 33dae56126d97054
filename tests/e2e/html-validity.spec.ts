import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import vnuJar from 'vnu-jar';
import { PUBLIC_PAGES } from './public-pages.ts';

// The W3C Nu HTML Checker (vnu.jar, on the machine's Java) on every public page type.

const run = promisify(execFile);

test('every public page type is valid HTML', async ({ request }, testInfo) => {
  test.skip(testInfo.project.name !== 'chromium', 'the markup is the same in every project');
  const dir = mkdtempSync(join(tmpdir(), 'aix-vnu-'));
  try {
    const files: Record<string, string> = {};
    for (const { name, path, status } of PUBLIC_PAGES) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(status);
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.html`);
      writeFileSync(file, await response.text());
      files[file] = path;
    }
    const { stdout, stderr } = await run(
      'java',
      ['-jar', String(vnuJar), '--errors-only', '--format', 'json', '--exit-zero-always', ...Object.keys(files)],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const report = JSON.parse(stderr || stdout) as {
      messages: { type: string; url: string; message: string; extract?: string }[];
    };
    const errors = report.messages
      .filter((m) => m.type === 'error')
      .map((m) => `${files[decodeURIComponent(m.url.replace(/^file:/, ''))] ?? m.url}: ${m.message} ${m.extract ?? ''}`);
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
