// Deterministic synthetic catalog for benchmarks: n valid packages derived from the demo
// packages (db/seed/demo-packages.json), varied enough that search sees realistic text,
// facets and dates. `npx node bench/synthetic.ts [n] [seed]` prints a summary.
import { demoCatalog } from '../db/seed/index.ts';
import { PackageContent, type ConsortiumMember, type DeploymentModel, type PackageStatus } from '../db/schema/package.ts';
import { countryName } from '../src/lib/reference/countries.ts';

export interface SyntheticOptions {
  /** Share of packages that are designated (the others are suspended or revoked). Default 0.97. */
  designatedShare?: number;
  /** How many packages (spread over the whole set) to check with the zod schema. Default 50. */
  validateSample?: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLE_PREFIXES = [
  'Sovereign',
  'National',
  'Regional',
  'Secure',
  'Open',
  'Federated',
  'Next-Generation',
  'Green',
  'Scalable',
  'Trusted',
  'Modular',
  'Integrated',
  'Resilient',
  'Full-Stack',
  'Cross-Border',
];
const TITLE_SUFFIXES = ['Phase 2', 'Phase 3', 'Expansion', 'Pilot', 'Program', 'Initiative', 'Partnership'];
const CONSORTIUM_WORDS = ['Alliance', 'Consortium', 'Partnership', 'Compact', 'Coalition', 'Collaborative', 'Group', 'Network'];
const CONSORTIUM_NAMES = [
  'Meridian',
  'Atlas',
  'Harbor',
  'Summit',
  'Keystone',
  'Lodestar',
  'Northwind',
  'Bluewater',
  'Ironwood',
  'Silverline',
  'Cedar',
  'Granite',
  'Pioneer',
  'Horizon',
  'Liberty',
  'Frontier',
  'Beacon',
  'Sequoia',
];
const DEPLOYMENT: DeploymentModel[] = ['in-country-sovereign', 'us-operated-cloud', 'hybrid'];

const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2026, 10, 20);
const DAY = 86_400_000;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** k distinct items, in a random order. */
function sample<T>(rand: () => number, items: readonly T[], k: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, Math.min(k, copy.length));
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const stop = cut.lastIndexOf('. ');
  return stop > max / 2 ? cut.slice(0, stop + 1) : cut.trimEnd();
}

function sentences(text: string): string[] {
  return text.split(/(?<=\.)\s+/).filter((s) => s.length > 0);
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** n packages, the same for the same (n, seed). Throws if the sampled ones do not validate. */
export function syntheticPackages(n: number, seed = 1, options: SyntheticOptions = {}): PackageContent[] {
  const demo = demoCatalog();
  const rand = prng(seed);
  const designatedShare = options.designatedShare ?? 0.97;

  const sectors = [...new Set(demo.flatMap((p) => p.sectors))].sort();
  const countries = [...new Set(demo.flatMap((p) => p.targetCountries))].sort();
  const regions = [...new Set(demo.flatMap((p) => p.targetRegions))].sort();
  const financing = demo.flatMap((p) => p.financing);
  const anchors = demo.flatMap((p) => p.consortium.members.filter((m) => m.anchor));
  const others = demo.flatMap((p) => p.consortium.members.filter((m) => !m.anchor));
  const descriptionSentences = demo.flatMap((p) => sentences(p.description));

  const out: PackageContent[] = [];
  for (let i = 0; i < n; i++) {
    const base = demo[i % demo.length]!;
    const variant = Math.floor(i / demo.length);

    // Title: a prefix, a target country, a phase, or the demo title itself.
    const targetCountries = sample(
      rand,
      [
        ...new Set([
          ...sample(rand, base.targetCountries, 1 + Math.floor(rand() * base.targetCountries.length)),
          ...sample(rand, countries, Math.floor(rand() * 3)),
        ]),
      ],
      6,
    );
    const firstName = countryName(targetCountries[0] ?? 'US') ?? 'Partner Nations';
    const style = rand();
    let title = base.title;
    if (style < 0.35) title = `${pick(rand, TITLE_PREFIXES)} ${base.title}`;
    else if (style < 0.65) title = `${base.title} for ${firstName}`;
    else if (style < 0.85) title = `${pick(rand, TITLE_PREFIXES)} ${base.title}: ${pick(rand, TITLE_SUFFIXES)}`;
    title = clip(title, 200);

    const slug = `${base.slug.slice(0, 100).replace(/-+$/, '')}-${variant + 1}-${i.toString(36)}`;

    const packageSectors = [...new Set([...base.sectors, ...(rand() < 0.4 ? [pick(rand, sectors)] : [])])];
    const targetRegions =
      rand() < 0.6
        ? [...new Set([...base.targetRegions, ...(rand() < 0.3 ? [pick(rand, regions)] : [])])]
        : rand() < 0.5
          ? [pick(rand, regions)]
          : [];

    const names = targetCountries.map((c) => countryName(c) ?? c);
    const summary = clip(`${base.summary} Serves ${listNames(names)}.`, 500);
    const extra = sample(rand, descriptionSentences, 2).join(' ');
    const description = clip(`${base.description} ${extra}`, 5000);

    const members: ConsortiumMember[] = [
      { ...pick(rand, anchors), anchor: true },
      ...sample(rand, others, 1 + Math.floor(rand() * 4)).map((m) => ({ ...m, anchor: false })),
    ];
    const consortium = {
      name: `${pick(rand, CONSORTIUM_NAMES)} ${pick(rand, CONSORTIUM_NAMES)} ${pick(rand, CONSORTIUM_WORDS)}`,
      members,
    };

    const layers = structuredClone(base.layers);
    layers.hardware.usOriginContentPct = Math.round(40 + rand() * 55);
    for (const key of ['hardware', 'data', 'security'] as const) if (rand() < 0.1) layers[key].supplied = false;

    const tools = sample(rand, financing, Math.floor(rand() * 4));
    const packageFinancing = [...new Map(tools.map((f) => [f.tool, f])).values()].map((f) => {
      const amount = rand() < 0.7 ? Math.round((5 + rand() * 995) * 1_000_000) : undefined;
      return amount === undefined ? { tool: f.tool, note: f.note } : { tool: f.tool, note: f.note, amountUsd: amount };
    });

    const r = rand();
    const status: PackageStatus =
      r < designatedShare ? 'designated' : r < designatedShare + (1 - designatedShare) * 0.67 ? 'suspended' : 'revoked';
    const designatedAt = new Date(START + Math.floor(rand() * ((END - START) / DAY)) * DAY);

    out.push({
      ...base,
      slug,
      title,
      summary,
      description,
      sectors: packageSectors,
      targetCountries,
      targetRegions,
      consortium,
      layers,
      businessModel: { ...base.businessModel, deploymentModel: pick(rand, DEPLOYMENT) },
      financing: packageFinancing,
      contacts: base.contacts.map((c) => ({ ...c, email: c.email.replace('@', `+${i}@`) })),
      status,
      designatedAt,
    });
  }

  // Validate a sample spread across the set, and every slug is unique.
  const checks = Math.min(n, options.validateSample ?? 50);
  for (let k = 0; k < checks; k++) {
    const index = Math.floor((k * n) / checks);
    const parsed = PackageContent.safeParse(out[index]);
    if (!parsed.success) throw new Error(`synthetic package ${index} is invalid: ${parsed.error.message}`);
  }
  if (new Set(out.map((p) => p.slug)).size !== n) throw new Error('synthetic slugs are not unique');
  return out;
}

if (import.meta.main) {
  const n = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  const started = performance.now();
  const packages = syntheticPackages(n, seed, { validateSample: n });
  const ms = performance.now() - started;
  const statuses = Object.groupBy(packages, (p) => p.status);
  console.log(`${n} packages (seed ${seed}) generated and all validated in ${ms.toFixed(0)} ms`);
  console.log(Object.fromEntries(Object.entries(statuses).map(([k, v]) => [k, v!.length])));
  for (const p of packages.slice(0, 3))
    console.log(
      `- ${p.slug}\n  ${p.title}\n  ${p.sectors.join(',')} | ${p.targetCountries.join(',')} | ${p.targetRegions.join(',')} | ${p.financing.map((f) => f.tool).join(',')} | ${p.designatedAt.toISOString().slice(0, 10)}`,
    );
}
