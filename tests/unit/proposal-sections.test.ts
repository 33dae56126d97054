import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProposalComplete, SECTIONS } from '../../src/lib/proposals/content.ts';
import { FIXED_OPTIONS, SECTION_SPECS, type FieldSpec, type GroupSpec } from '../../src/lib/proposals/sections.ts';
import { useTranslations } from '../../src/i18n/index.ts';

// The editor's field specification (src/lib/proposals/sections.ts) and the zod schema of a
// complete proposal (content.ts over db/schema/package.ts) describe the same fields with the
// same limits: a field missing from either side, a limit changed on one side, fails here.

type Node = z.ZodType;

function unwrap(node: Node): Node {
  let n = node;
  while (n instanceof z.ZodOptional || n instanceof z.ZodDefault) n = n.unwrap() as Node;
  return n;
}

function child(node: Node | undefined, key: string): Node | undefined {
  const n = node && unwrap(node);
  if (n instanceof z.ZodObject) return (n.shape as Record<string, Node>)[key];
  return undefined;
}

function element(node: Node | undefined): Node | undefined {
  const n = node && unwrap(node);
  return n instanceof z.ZodArray ? (n.element as Node) : undefined;
}

const keysOf = (node: Node | undefined) => {
  const n = node && unwrap(node);
  return n instanceof z.ZodObject ? Object.keys(n.shape).sort() : [];
};

const root = ProposalComplete as unknown as Node;
const at = (path: readonly string[]) => path.reduce<Node | undefined>((n, k) => child(n, k), root);

/** What the zod node of a field must be, for the field's control. */
function expectAgrees(f: FieldSpec, node: Node | undefined, where: string) {
  expect(node, `${where}: no such field in the zod schema`).toBeDefined();
  const n = unwrap(node!);
  const c = f.control;
  switch (c.kind) {
    case 'text':
      expect(n, where).toBeInstanceOf(z.ZodString);
      expect((n as z.ZodString).maxLength, `${where}: limit`).toBe(c.max);
      break;
    case 'email':
      expect(n, where).toBeInstanceOf(z.ZodEmail);
      expect(n.safeParse(`${'a'.repeat(c.max - 12)}@example.com`).success, where).toBe(true);
      break;
    case 'percent':
      expect(n, where).toBeInstanceOf(z.ZodNumber);
      expect([(n as z.ZodNumber).minValue, (n as z.ZodNumber).maxValue], where).toEqual([0, 100]);
      break;
    case 'amount':
      expect(n, where).toBeInstanceOf(z.ZodNumber);
      expect([n.safeParse(1).success, n.safeParse(0).success, n.safeParse(1.5).success], where).toEqual([true, false, false]);
      break;
    case 'confirm':
      expect(n, where).toBeInstanceOf(z.ZodLiteral);
      expect(n.safeParse(true).success && !n.safeParse(false).success, where).toBe(true);
      break;
    case 'choices':
      expect(n, where).toBeInstanceOf(z.ZodArray);
      break;
    case 'choice':
      if (c.options === 'yesno') expect(n, where).toBeInstanceOf(z.ZodBoolean);
      else if (c.options === 'deployment') expect((n as z.ZodEnum).options, where).toEqual([...FIXED_OPTIONS.deployment]);
      else expect(n, where).toBeInstanceOf(z.ZodString);
      break;
  }
}

/** Whether `count` rows pass the array's own length checks (the rows themselves may be wrong). */
function lengthAllowed(node: Node, count: number): boolean {
  const result = node.safeParse(Array.from({ length: count }, () => ({})));
  return !result.error?.issues.some((i) => i.path.length === 0 && i.code === 'too_big');
}

describe('the proposal sections’ specification', () => {
  it('has a specification for every section of the editor', () => {
    expect(Object.keys(SECTION_SPECS).sort()).toEqual([...SECTIONS].sort());
  });

  for (const section of SECTIONS) {
    it(`${section}: the fields and limits are the zod schema's`, () => {
      const spec = SECTION_SPECS[section];
      const base = spec.list ? undefined : spec.at.length ? at(spec.at) : root;
      const keys: string[] = [];
      for (const item of spec.items) {
        if (item.type === 'field') {
          keys.push(item.key ?? item.name);
          expectAgrees(item, child(base, item.key ?? item.name), `${section}.${item.name}`);
        } else if (item.type === 'fieldset') {
          keys.push(item.key);
          const set = child(base, item.key);
          expect(keysOf(set)).toEqual(item.fields.map((f) => f.key ?? f.name).sort());
          for (const f of item.fields) expectAgrees(f, child(set, f.key ?? f.name), `${section}.${item.key}.${f.name}`);
        } else if (item.type === 'group') {
          const list = spec.list ? at(spec.at) : child(base, item.name);
          if (!spec.list) keys.push(item.name);
          checkGroup(item, list, section);
        }
      }
      // A section with an object of its own: every key of it is a field of the form.
      if (!spec.list && spec.at.length) expect(keysOf(base)).toEqual(keys.sort());
    });
  }

  function checkGroup(group: GroupSpec, list: Node | undefined, section: string) {
    expect(list, `${section}.${group.name}`).toBeDefined();
    const row = element(list);
    expect(keysOf(row)).toEqual(group.fields.map((f) => f.key ?? f.name).sort());
    for (const f of group.fields) expectAgrees(f, child(row, f.key ?? f.name), `${section}.${group.name}.${f.name}`);
    // The editor shows at most `maxRows` rows: never fewer than the schema allows.
    expect(lengthAllowed(list!, group.maxRows), `${section}.${group.name}: ${group.maxRows} rows`).toBe(true);
    expect(group.rows).toBeLessThanOrEqual(group.maxRows);
  }

  it('caps the offerings at the schema’s own maximum', () => {
    const offerings = at(['layers', 'hardware', 'offerings'])!;
    expect(lengthAllowed(offerings, 30)).toBe(true);
    expect(lengthAllowed(offerings, 31)).toBe(false);
  });

  it('labels every field with a message that exists', () => {
    const t = useTranslations();
    for (const spec of Object.values(SECTION_SPECS)) {
      for (const item of spec.items) {
        const fields = item.type === 'field' ? [item] : item.type === 'fieldset' || item.type === 'group' ? item.fields : [];
        for (const f of fields) {
          for (const key of [f.label, f.messageLabel, f.hint]) if (key) expect(t(key, { n: 1 }), key).not.toBe(key);
        }
      }
    }
  });
});
