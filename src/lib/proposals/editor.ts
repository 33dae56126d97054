import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema/index.ts';
import { LAYER_KEYS } from '../../../db/schema/package.ts';
import {
  consortiaLedBy,
  createProposal,
  findProposalForUpdate,
  insertAttachment,
  sectionRevision,
  writeDraft,
} from '../../../db/queries/proposals.ts';
import { lastChange } from '../../../db/queries/audit.ts';
import { differingFields, type Conflict } from '../server/revisions.ts';
import type { MessageKey, Translator } from '../../i18n/index.ts';
import { isCountryCode, type Reference } from '../reference/index.ts';
import { MAX_ATTACHMENT_BYTES } from '../files/index.ts';
import { takeAttachment, type AttachmentOutcome, type Intake } from '../files/intake.ts';
import { checklist, sectionOf, SECTIONS, type ChecklistItem, type Section } from './content.ts';
import {
  FIXED_OPTIONS,
  groupOf,
  limitsOf,
  SECTION_SPECS,
  allFields,
  type FieldSpec,
  type GroupSpec,
  type Item,
  type OptionSource,
} from './sections.ts';
import { isEditableWith } from './state.ts';
import { recordProposalAudit } from './workflow.ts';
import type { FormLike } from '../server/forms.ts';

/**
 * The proposal editor: one form per section of `SECTIONS`. Saving is lenient — what is
 * entered is kept even while incomplete — but types are checked (numbers are numbers, codes
 * are known, texts fit). Completeness is the checklist's business (`ProposalComplete`).
 */

export type Draft = Record<string, unknown>;
export type FieldErrors = Record<string, string>;
/** A posted form: every field name with all its values. */
export type FormValues = Record<string, string[]>;

export { isLayer, isSection } from './sections.ts';

/** Rows a repeated group's form shows: one blank row more than are filled, at least its `rows`, at most its `maxRows`. */
export function rowCount(group: GroupSpec['name'], filled: number): number {
  const spec = groupOf(group)!;
  return Math.min(spec.maxRows, Math.max(spec.rows, filled + 1));
}

/** The form's fields (strings only; files are not part of a section form). */
export function formValues(form: FormLike | undefined): FormValues {
  const out: FormValues = {};
  if (!form) return out;
  for (const [key, value] of form) {
    if (typeof value !== 'string') continue;
    (out[key] ??= []).push(value);
  }
  return out;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Every layer present (as an object), so that the checklist reports a missing layer under its own section. */
export function normalizeDraft(draft: unknown): Draft {
  const d = { ...obj(draft) };
  const layers = obj(d.layers);
  d.layers = Object.fromEntries(LAYER_KEYS.map((k) => [k, obj(layers[k])]));
  return d;
}

/** The checklist of a draft as stored (see `normalizeDraft`). */
export function proposalChecklist(draft: unknown): ChecklistItem[] {
  return checklist(normalizeDraft(draft));
}

// ——— Draft → form values ———

/** Where a section's data sits in the draft (`SectionSpec.at`). */
function sectionData(d: Draft, at: readonly string[]): unknown {
  return at.reduce<unknown>((v, key) => obj(v)[key], d);
}

/** The form values of one section of a draft, as its form shows them. */
export function valuesFromDraft(draft: unknown, section: Section): FormValues {
  const spec = SECTION_SPECS[section];
  const d = normalizeDraft(draft);
  const data = spec.at.length ? sectionData(d, spec.at) : d;
  const v: FormValues = {};
  const putField = (f: FieldSpec, from: Record<string, unknown>, name: string) => {
    const value = from[f.key ?? f.name];
    const { control } = f;
    if (control.kind === 'choices') v[name] = arr(value).map(str);
    else if (control.kind === 'confirm') {
      if (value === true) v[name] = ['yes'];
    } else if (control.kind === 'choice' && control.options === 'yesno') {
      if (typeof value === 'boolean') v[name] = [value ? 'yes' : 'no'];
    } else {
      const s = str(value);
      if (s !== '') v[name] = [s];
    }
  };
  const putItems = (items: Item[], from: Record<string, unknown>) => {
    for (const item of items) {
      if (item.type === 'field') putField(item, from, item.name);
      else if (item.type === 'fieldset') for (const f of item.fields) putField(f, obj(from[item.key]), f.name);
      else if (item.type === 'group') {
        const rows = spec.list ? data : from[item.name];
        arr(rows).forEach((row, i) => {
          for (const f of item.fields) putField(f, obj(row), `${item.name}.${i}.${f.name}`);
        });
      }
    }
  };
  putItems(spec.items, obj(data));
  return v;
}

/** How many rows of a repeated group the draft (or posted form) fills. */
export function filledRows(values: FormValues, prefix: string): number {
  let max = -1;
  for (const key of Object.keys(values)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.`).exec(key);
    if (m && (values[key] ?? []).some((x) => x.trim() !== '')) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

// ——— Form values → section data ———

interface ParseContext {
  reference: Pick<Reference, 'sectors' | 'regions' | 'financing'>;
  t: Translator;
}

class Reader {
  readonly errors: FieldErrors = {};
  constructor(
    private readonly values: FormValues,
    private readonly t: Translator,
  ) {}

  label(name: string): string {
    return fieldLabel(this.t, name);
  }

  fail(name: string, message: string) {
    this.errors[name] ??= message;
  }

  /** A trimmed text, undefined when blank; too long is an error. */
  text(name: string, max: number): string | undefined {
    const raw = (this.values[name]?.[0] ?? '').trim();
    if (!raw) return undefined;
    if (raw.length > max) this.fail(name, this.t('proposals.error.tooLong', { field: this.label(name), max }));
    return raw;
  }

  many(name: string): string[] {
    return [...new Set((this.values[name] ?? []).map((x) => x.trim()).filter(Boolean))];
  }

  /** Values that must come from a known list. */
  choices(name: string, allowed: (v: string) => boolean): string[] {
    const chosen = this.many(name);
    if (chosen.some((c) => !allowed(c))) this.fail(name, this.t('proposals.error.choice', { field: this.label(name) }));
    return chosen.filter(allowed);
  }

  choice(name: string, allowed: (v: string) => boolean, max: number): string | undefined {
    const value = this.text(name, max);
    if (value === undefined) return undefined;
    if (!allowed(value)) {
      this.fail(name, this.t('proposals.error.choice', { field: this.label(name) }));
      return undefined;
    }
    return value;
  }

  percent(name: string, max: number): number | undefined {
    const raw = this.text(name, max)?.replace(/%$/, '').trim();
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || n < 0 || n > 100) {
      this.fail(name, this.t('proposals.error.percent', { field: this.label(name) }));
      return undefined;
    }
    return n;
  }

  amount(name: string, max: number): number | undefined {
    const raw = this.text(name, max)?.replace(/[\s,$]/g, '');
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
      this.fail(name, this.t('proposals.error.amount', { field: this.label(name) }));
      return undefined;
    }
    return n;
  }

  email(name: string, max: number): string | undefined {
    const value = this.text(name, max);
    if (value !== undefined && !z.email().safeParse(value).success)
      this.fail(name, this.t('proposals.error.email', { field: this.label(name) }));
    return value;
  }

  /** Row indexes present in the form for a repeated group, in order. */
  rows(prefix: string, cap: number): number[] {
    const found = new Set<number>();
    for (const key of Object.keys(this.values)) {
      const m = new RegExp(`^${prefix}\\.(\\d{1,3})\\.`).exec(key);
      if (m && Number(m[1]) < cap) found.add(Number(m[1]));
    }
    return [...found].sort((a, b) => a - b);
  }
}

/** Drops undefined members, so that what was not entered is absent from the draft. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
const blank = (o: Record<string, unknown>) => Object.values(o).every((v) => v === undefined);

function allowedOf(source: OptionSource, reference: ParseContext['reference']): (v: string) => boolean {
  switch (source) {
    case 'sectors':
      return (s) => reference.sectors.has(s);
    case 'regions':
      return (s) => reference.regions.has(s);
    case 'financing':
      return (s) => reference.financing.has(s);
    case 'countries':
      return isCountryCode;
    default: {
      const allowed: readonly string[] = FIXED_OPTIONS[source];
      return (v) => allowed.includes(v);
    }
  }
}

/** The section's data from a posted form, and the field errors (empty when the save may go ahead). */
export function parseSection(section: Section, values: FormValues, ctx: ParseContext): { data: unknown; errors: FieldErrors } {
  const spec = SECTION_SPECS[section];
  const r = new Reader(values, ctx.t);
  const read = (f: FieldSpec, name: string): unknown => {
    const { control } = f;
    switch (control.kind) {
      case 'text':
        return r.text(name, control.max);
      case 'email':
        return r.email(name, control.max);
      case 'percent':
        return r.percent(name, limitsOf(control).read);
      case 'amount':
        return r.amount(name, limitsOf(control).read);
      case 'choices':
        return r.choices(name, allowedOf(control.options, ctx.reference));
      case 'confirm':
        return r.many(name).includes('yes') ? true : undefined;
      case 'choice': {
        const value = r.choice(name, allowedOf(control.options, ctx.reference), limitsOf(control).read);
        return control.options === 'yesno' && value !== undefined ? value === 'yes' : value;
      }
    }
  };
  const fields = (list: FieldSpec[], prefix = '') =>
    compact(Object.fromEntries(list.map((f) => [f.key ?? f.name, read(f, prefix + f.name)])));
  const rows = (group: GroupSpec) =>
    r
      .rows(group.name, group.maxRows)
      .map((i) => fields(group.fields, `${group.name}.${i}.`))
      .filter((row) => !blank(row));
  if (spec.list) {
    const group = spec.items.find((i): i is GroupSpec => i.type === 'group')!;
    return { data: rows(group), errors: r.errors };
  }
  const data: Record<string, unknown> = {};
  for (const item of spec.items) {
    if (item.type === 'field') data[item.key ?? item.name] = read(item, item.name);
    else if (item.type === 'fieldset') data[item.key] = fields(item.fields);
    else if (item.type === 'group') data[item.name] = rows(item);
  }
  return { data: compact(data), errors: r.errors };
}

/** JSON with object keys sorted: jsonb keeps keys in its own order, so plain JSON.stringify cannot compare drafts. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** `value` at `path` of `target`, copying the objects on the way (the draft is not changed in place). */
function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) target[head] = value;
  else {
    const next = { ...obj(target[head]) };
    setAt(next, rest, value);
    target[head] = next;
  }
}

/** The draft with one section replaced. */
export function mergeSection(draft: unknown, section: Section, data: unknown): Draft {
  const spec = SECTION_SPECS[section];
  const d = normalizeDraft(draft);
  if (spec.list) setAt(d, spec.at, data);
  else if (spec.at.length) setAt(d, spec.at, obj(data));
  else {
    // A section at the top of the draft: its keys are replaced, the others' kept.
    for (const item of spec.items) if (item.type === 'field') delete d[item.key ?? item.name];
    Object.assign(d, obj(data));
  }
  return d;
}

export type SaveResult =
  | { ok: true; savedAt: Date; changed: boolean; revision: number }
  | { ok: false; status: 400 | 404 | 409; errors: FieldErrors; conflict?: Conflict };

export interface EditorActor {
  id: string;
  email?: string | undefined;
  ip?: string | null | undefined;
}

/**
 * Saves one section into `proposal.draft` (locked read-modify-write) and audits
 * 'proposal-saved'. `revision` is the section's revision the form was read at: when the
 * section has been saved since (by someone else, or in another tab) and the text differs,
 * nothing is written and the answer is 409 with the conflict (what is saved now, by whom,
 * when). Without `revision` (callers other than the site's forms) the save is not checked.
 */
export async function saveSection(
  db: Kysely<Database>,
  input: {
    proposalId: string;
    section: Section;
    values: FormValues;
    actor: EditorActor;
    reference: ParseContext['reference'];
    revision?: number | undefined;
    t: Translator;
  },
): Promise<SaveResult> {
  const { t } = input;
  const parsed = parseSection(input.section, input.values, { reference: input.reference, t });
  if (Object.keys(parsed.errors).length) return { ok: false, status: 400, errors: parsed.errors };
  return db.transaction().execute(async (tx): Promise<SaveResult> => {
    const row = await findProposalForUpdate(tx, input.proposalId);
    if (!row) return { ok: false, status: 404, errors: { form: t('proposals.error.gone') } };
    if (!isEditableWith(row.state, row.changeState))
      return { ok: false, status: 409, errors: { form: t('proposals.error.notEditable') } };
    const current = sectionRevision(row, input.section);
    const before = normalizeDraft(row.draft);
    const draft = mergeSection(before, input.section, parsed.data);
    // The same text as is saved: nothing to write, and nothing to conflict with (a double submit).
    if (canonicalJson(draft) === canonicalJson(before))
      return { ok: true, savedAt: new Date(row.updatedAt), changed: false, revision: current };
    const expected = input.revision ?? current;
    const written =
      expected === current ? await writeDraft(tx, { proposalId: row.id, draft, section: input.section, expected }) : undefined;
    if (!written) {
      const last = await lastChange(tx, {
        action: 'proposal-saved',
        subjectType: 'proposal',
        subjectId: row.id,
        details: { section: input.section },
      });
      const conflict: Conflict = {
        revision: current,
        at: last?.at ?? null,
        by: last?.actorName ?? null,
        fields: differingFields(valuesFromDraft(before, input.section), valuesFromDraft(draft, input.section), (name) =>
          fieldLabel(t, name),
        ),
      };
      return { ok: false, status: 409, errors: { form: t('proposals.error.conflict') }, conflict };
    }
    await recordProposalAudit(tx, input.actor, 'proposal-saved', input.proposalId, {
      section: input.section,
      revision: written.revision,
    });
    return { ok: true, savedAt: written.savedAt, changed: true, revision: written.revision };
  });
}

/** Starts a proposal for a consortium the user leads (owner or admin of its anchor organization). */
export async function startProposal(db: Kysely<Database>, consortiumId: string, actor: EditorActor): Promise<string | undefined> {
  const led = await consortiaLedBy(db, actor.id);
  if (!led.some((c) => c.id === consortiumId)) return undefined;
  return db.transaction().execute(async (tx) => {
    const id = await createProposal(tx, consortiumId, normalizeDraft({}));
    await recordProposalAudit(tx, actor, 'proposal-saved', id, { created: true, consortiumId });
    return id;
  });
}

// ——— Attachments ———

export type AttachmentResult = AttachmentOutcome;

/**
 * Receives a PDF posted for a proposal (streamed to disk, checked by its content, at most
 * 20 MB, within the upload limits and quotas), stores it with its sha256, and audits it.
 */
export async function addAttachment(
  intake: Intake,
  input: { proposalId: string; request: Request; actor: EditorActor },
): Promise<AttachmentResult> {
  const { t } = intake;
  const messages = {
    none: t('proposals.attachments.error.none'),
    notPdf: t('proposals.attachments.error.notPdf'),
    tooLarge: t('proposals.attachments.error.tooLarge', { max: MAX_ATTACHMENT_BYTES / 1024 / 1024 }),
  };
  return takeAttachment(
    intake,
    input.request,
    { type: 'proposal', id: input.proposalId },
    input.actor.id,
    messages,
    async (tx, file) => {
      await insertAttachment(tx, {
        id: file.id,
        ownerId: input.proposalId,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
        storageKey: file.storageKey,
        uploadedBy: input.actor.id,
      });
      await recordProposalAudit(tx, input.actor, 'attachment-added', input.proposalId, {
        attachmentId: file.id,
        filename: file.filename,
        size: file.size,
        sha256: file.sha256,
      });
    },
  );
}

// ——— Labels: field names, checklist problems ———

// The labels of fields in messages, from the sections' specification.
const LEAF_LABELS: Record<string, MessageKey> = {};
const ROW_LABELS: Record<string, Record<string, MessageKey>> = {};
for (const { field, group } of allFields()) {
  const label = field.messageLabel ?? field.label;
  if (group) (ROW_LABELS[group.name] ??= {})[field.name] ??= label;
  else LEAF_LABELS[field.name] ??= label;
}

/** A form field's label for messages: `offerings.1.name` → "Offering 2: name". */
export function fieldLabel(t: Translator, name: string): string {
  const parts = name.split('.');
  if (parts.length === 3) {
    const [group = '', index = '0', leaf = ''] = parts;
    const key = ROW_LABELS[group]?.[leaf];
    if (key) return t(key, { n: Number(index) + 1 });
  }
  const key = LEAF_LABELS[parts[parts.length - 1] ?? ''];
  return key ? t(key) : name;
}

/** A checklist problem or version-diff path (`layers.hardware.offerings.0.name`) as a field label. */
export function pathLabel(t: Translator, path: string): string {
  const all = path.split('.');
  if (all[0] === 'consortium') return t('proposals.section.consortium');
  const parts = [...all];
  if (parts[0] === 'layers') parts.splice(0, 2);
  if (parts[0] === 'businessModel' || parts[0] === 'compliance') parts.shift();
  if (parts[0] === 'attestation') {
    const leaf = parts[1] ?? '';
    parts.splice(0, 2, leaf === 'confirmed' ? 'confirmed' : `attestation${leaf.charAt(0).toUpperCase()}${leaf.slice(1)}`);
  }
  if (parts.length === 0) return t(`proposals.section.${sectionOf(all)}` as MessageKey);
  if (parts.length >= 3 && ROW_LABELS[parts[0] ?? '']) return fieldLabel(t, parts.slice(0, 3).join('.'));
  if (['offerings', 'financing', 'contacts'].includes(parts[0] ?? '')) return t(`proposals.field.${parts[0]}` as MessageKey);
  return fieldLabel(t, parts[0] ?? path);
}

/** What the checklist says about one problem, in words. */
export function problemText(t: Translator, problem: { path: string; message: string }): string {
  const path = problem.path;
  if (path === 'targetCountries' || path === 'targetRegions') return t('proposals.problem.markets');
  if (['sectors', 'financing', 'contacts'].includes(path))
    return t('proposals.problem.atLeastOne', { field: pathLabel(t, path) });
  if (/^layers\.[a-z]+$/.test(path)) return t('proposals.problem.section', { field: pathLabel(t, path) });
  if (path === 'compliance.attestation.confirmed') return t('proposals.problem.confirm');
  return t('proposals.problem.field', { field: pathLabel(t, path) });
}

// ——— Versions ———

function flatten(value: unknown, prefix: string, out: Map<string, string>) {
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, '');
    value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value === true ? 'yes' : value === false ? 'no' : value === null || value === undefined ? '' : String(value));
  }
}

export type DiffSection = Section | 'consortium';
export interface SectionDiff {
  section: DiffSection;
  changed: boolean;
  fields: { path: string; before: string; after: string }[];
}

/** Two frozen versions compared section by section: which changed, and the old and new text of each changed field. */
export function compareVersions(a: unknown, b: unknown): SectionDiff[] {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  flatten(a, '', before);
  flatten(b, '', after);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  const sections: DiffSection[] = [...SECTIONS, 'consortium'];
  const bySection = new Map<DiffSection, SectionDiff['fields']>(sections.map((s) => [s, []]));
  for (const path of paths) {
    const old = before.get(path) ?? '';
    const now = after.get(path) ?? '';
    if (old === now) continue;
    const section: DiffSection =
      path.startsWith('consortium.') || path === 'consortium' ? 'consortium' : sectionOf(path.split('.'));
    bySection.get(section)!.push({ path, before: old, after: now });
  }
  return sections.map((section) => {
    const fields = bySection.get(section)!;
    return { section, changed: fields.length > 0, fields };
  });
}

/** The version numbers of a compare request: positive integers, both present; anything else is refused. */
export function parseVersionPair(a: string | null, b: string | null): { a: number; b: number } | undefined {
  if (!a || !b || !/^\d{1,6}$/.test(a) || !/^\d{1,6}$/.test(b)) return undefined;
  const x = Number(a);
  const y = Number(b);
  if (x < 1 || y < 1) return undefined;
  return { a: x, b: y };
}
