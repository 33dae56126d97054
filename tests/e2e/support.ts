import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The demo packages the tests rely on (db/seed/demo-packages.json). */
export const EAST_AFRICA_TELEMEDICINE = {
  slug: 'east-africa-telemedicine-and-swahili-clinical-ai',
  title: 'East Africa Telemedicine and Swahili Clinical AI',
};
export const LATAM_TELEMEDICINE = {
  slug: 'private-hospital-network-imaging-and-telemedicine-ai-for-latin-america',
  title: 'Private Hospital Network Imaging and Telemedicine AI for Latin America',
};
export const LEVANT_HOSPITALS = {
  slug: 'north-africa-and-levant-hospital-network-ai',
  title: 'North Africa and Levant Hospital Network AI',
};
/** Designated packages in the demo data (26 entries, one suspended, one revoked). */
export const DESIGNATED_TOTAL = 24;

/** The data directory of the server under test (set by tests/playwright.config.ts). */
export function dataDir(): string {
  const dir = process.env.AIX_E2E_DATA_DIR;
  if (!dir) throw new Error('AIX_E2E_DATA_DIR is not set: run through tests/playwright.config.ts');
  return dir;
}

export function meilisearchMasterKey(): string {
  return readFileSync(join(dataDir(), 'meilisearch.key'), 'utf8').trim();
}

/** The "N packages found" line of the search page (the visible one, not the live region). */
export function resultCount(page: Page): Locator {
  return page.locator('#results').getByText(/^\d+ packages? found$/);
}

/** The result links of the search page, one per package. */
export function resultLinks(page: Page): Locator {
  return page.getByRole('region', { name: 'Search results' }).getByRole('heading').getByRole('link');
}

export function searchBox(page: Page): Locator {
  return page.getByRole('searchbox', { name: 'Search the catalog' });
}

/** A facet option's accessible name: its label and count, "Healthcare (3)". */
function optionName(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\)$`);
}

/** A facet checkbox, by the start of its label ("Healthcare (3)"). */
export function facet(page: Page, group: string, label: string): Locator {
  return page.getByRole('group', { name: group }).getByRole('checkbox', { name: optionName(label) });
}

/**
 * Ticks (or unticks) a facet option the way a visitor does: by clicking its label. The USWDS
 * checkbox itself is moved off screen and drawn by the label.
 */
export async function toggleFacet(page: Page, group: string, label: string): Promise<void> {
  await page.getByRole('group', { name: group }).getByText(optionName(label)).click();
}

/** The count a facet option shows, e.g. 3 for "Healthcare (3)". */
export async function facetCount(page: Page, group: string, label: string): Promise<number> {
  const name = await page.getByRole('group', { name: group }).getByText(optionName(label)).innerText();
  return Number(/\((\d+)\)$/.exec(name)?.[1]);
}

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page and fails with a readable list of the violations. */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo, label = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
  expect(results.passes.length, 'axe ran its rules').toBeGreaterThan(10);
  if (results.violations.length > 0) {
    await testInfo.attach(`axe-${label.replace(/[^a-z0-9]+/gi, '_')}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  const readable = results.violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
  expect(results.violations.length, `axe violations on ${label}:\n${readable}`).toBe(0);
}
