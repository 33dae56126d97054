import type { MessageKey, Translator } from '../../../i18n/index.ts';
import { allCountryCodes, type Reference } from '../../reference/index.ts';
import { US_CONTENT_PRESUMPTION_PCT } from '../../review/view.ts';
import { readForm, type FieldErrors, type FormLike } from '../../server/forms.ts';
import {
  notFound,
  pageContext,
  redirect,
  refuse,
  type PageContext,
  type PageModule,
  type Refusal,
  type RequestParts,
} from '../../server/page.ts';
import { problem } from '../../server/problem.ts';
import { postedRevision, REVISION_FIELD, type Conflict } from '../../server/revisions.ts';
import { proposalAccess, type ProposalAccess } from '../access.ts';
import { SECTIONS, type Section } from '../content.ts';
import { filledRows, formValues, rowCount, saveSection, valuesFromDraft, type FormValues, type SaveResult } from '../editor.ts';
import { FIXED_OPTIONS, isSection, limitsOf, SECTION_SPECS, type FieldSpec, type Item, type OptionSource } from '../sections.ts';
import { proposalTitle } from './common.ts';
import { sectionRevision } from '../../../../db/queries/proposals.ts';

/**
 * One section of the proposal editor (`/proposals/[id]/edit/[section]`): a plain POST form
 * (Post/Redirect/Get), and its background save (`…/[section]/autosave`, JSON). The form carries
 * the section's revision; a save from a stale form answers 409 with what is saved now beside
 * the person's text, which stays in the form. The fields are those of the section's
 * specification (`../sections.ts`).
 */

export interface Option {
  value: string;
  label: string;
}

/** One control, ready to render (`src/components/proposals/SectionFields.astro`). */
export interface FieldView {
  control: 'input' | 'textarea' | 'select' | 'checkboxes' | 'radios' | 'confirm';
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The values shown (one for a text). */
  values: string[];
  options: Option[];
  maxlength?: number | undefined;
  rows?: number | undefined;
  type?: 'text' | 'email' | 'tel';
  inputmode?: 'numeric' | 'decimal' | undefined;
  autocomplete?: string | undefined;
  multiple?: boolean;
  size?: number | undefined;
  placeholder?: string | undefined;
}

export type ItemView =
  | { type: 'field'; field: FieldView }
  | { type: 'fieldset'; legend: string; hint?: string | undefined; fields: FieldView[] }
  | { type: 'group'; legend?: string | undefined; hint?: string | undefined; rows: { legend: string; fields: FieldView[] }[] }
  | { type: 'presumption'; tone: 'info' | 'success' | 'warning'; heading: string; text: string };

export interface SectionEditorModel {
  proposalId: string;
  section: Section;
  title: string;
  proposalTitle: string;
  sections: { section: Section; name: string; href: string }[];
  next?: { section: Section; name: string } | undefined;
  saved: boolean;
  /** The error summary's links. */
  summary: { href: string; message: string }[];
  conflict?: Conflict | undefined;
  /** The revision the form carries. */
  revision: number;
  action: string;
  autosave: string;
  hint?: string | undefined;
  items: ItemView[];
}

/** A field's id in the page: its name with dots as dashes. */
export const idOf = (name: string): string => name.replace(/\./g, '-');

const sectionName = (t: Translator, s: string) => t(`proposals.section.${s}` as MessageKey);

function optionsOf(source: OptionSource, ref: Reference, t: Translator): Option[] {
  switch (source) {
    case 'sectors':
      return [...ref.sectors.values()].map((s) => ({ value: s.slug, label: s.name }));
    case 'regions':
      return [...ref.regions.values()].map((r) => ({ value: r.slug, label: r.name }));
    case 'financing':
      return [...ref.financing.values()].map((f) => ({ value: f.slug, label: ref.financingName(f.slug) }));
    case 'countries':
      return allCountryCodes()
        .map((code) => ({ value: code, label: ref.countryName(code) }))
        .sort((a, b) => a.label.localeCompare(b.label));
    case 'deployment':
      return FIXED_OPTIONS.deployment.map((m) => ({ value: m, label: t(`deployment.${m}` as MessageKey) }));
    case 'yesno':
      return FIXED_OPTIONS.yesno.map((v) => ({ value: v, label: t(`proposals.edit.supplied.${v}`) }));
  }
}

/** The percentage as the presumption reads it while the person types (blank or not a number: unknown). */
function presumption(values: FormValues, name: string, t: Translator): ItemView {
  const text = values[name]?.[0]?.trim().replace(/%$/, '') ?? '';
  const pct = text !== '' && /^\d+(\.\d+)?$/.test(text) && Number(text) <= 100 ? Number(text) : undefined;
  const met = pct !== undefined && pct >= US_CONTENT_PRESUMPTION_PCT;
  return {
    type: 'presumption',
    tone: pct === undefined ? 'info' : met ? 'success' : 'warning',
    heading: t('proposals.edit.presumption'),
    text:
      pct === undefined
        ? t('proposals.edit.presumption.unknown')
        : met
          ? t('proposals.edit.presumption.met', { pct: t.number(pct) })
          : t('proposals.edit.presumption.notMet', { pct: t.number(pct) }),
  };
}

/** The section's items with their values, errors and options, for the markup. */
export function sectionItems(
  section: Section,
  values: FormValues,
  errors: FieldErrors,
  ref: Reference,
  t: Translator,
): ItemView[] {
  const view = (f: FieldSpec, name: string): FieldView => {
    const c = f.control;
    const base = {
      id: idOf(name),
      name,
      label: t(f.label),
      hint: f.hint ? t(f.hint) : undefined,
      error: errors[name],
      values: values[name] ?? [],
      options: [] as Option[],
      maxlength: limitsOf(c).maxlength,
    };
    switch (c.kind) {
      case 'text':
        return {
          ...base,
          control: c.rows ? 'textarea' : 'input',
          rows: c.rows,
          type: c.type ?? 'text',
          autocomplete: c.autocomplete,
        };
      case 'email':
        return { ...base, control: 'input', type: 'email' };
      case 'percent':
        return { ...base, control: 'input', inputmode: 'decimal' };
      case 'amount':
        return { ...base, control: 'input', inputmode: 'numeric' };
      case 'confirm':
        return { ...base, control: 'confirm' };
      case 'choice':
        return {
          ...base,
          control: c.as === 'radio' ? 'radios' : 'select',
          options: optionsOf(c.options, ref, t),
          placeholder: t('proposals.edit.chooseOne'),
        };
      case 'choices':
        return {
          ...base,
          control: c.as === 'checkboxes' ? 'checkboxes' : 'select',
          options: optionsOf(c.options, ref, t),
          multiple: true,
          size: c.size,
        };
    }
  };
  const item = (i: Item): ItemView => {
    switch (i.type) {
      case 'field':
        return { type: 'field', field: view(i, i.name) };
      case 'fieldset':
        return {
          type: 'fieldset',
          legend: t(i.legend),
          hint: i.hint ? t(i.hint) : undefined,
          fields: i.fields.map((f) => view(f, f.name)),
        };
      case 'presumption':
        return presumption(values, i.field, t);
      case 'group': {
        const count = rowCount(i.name, filledRows(values, i.name));
        return {
          type: 'group',
          legend: i.legend ? t(i.legend) : undefined,
          hint: i.hint ? t(i.hint) : undefined,
          rows: Array.from({ length: count }, (_, n) => ({
            legend: t(i.rowLegend, { n: n + 1 }),
            fields: i.fields.map((f) => view(f, `${i.name}.${n}.${f.name}`)),
          })),
        };
      }
    }
  };
  return SECTION_SPECS[section].items.map(item);
}

/** The section and what the viewer may do with it; a post counts a lead after the proposal left an editable state. */
async function open(ctx: PageContext, posting: boolean): Promise<{ section: Section; access: ProposalAccess } | undefined> {
  const section = ctx.params.section;
  if (!isSection(section)) return undefined;
  const access = await proposalAccess(ctx.app.db, ctx.viewer, ctx.params.id ?? '');
  // A lead posting after the proposal left an editable state gets the form back with their text (409).
  if (!access || !ctx.viewer || !(access.canEdit || (posting && access.isLead))) return undefined;
  return { section, access };
}

function save(ctx: PageContext, proposalId: string, section: Section, values: FormValues): Promise<SaveResult> {
  const viewer = ctx.viewer!;
  return saveSection(ctx.app.db, {
    proposalId,
    section,
    values,
    revision: postedRevision(values[REVISION_FIELD] ?? null),
    actor: { id: viewer.id, email: viewer.email, ip: ctx.clientIp || null },
    reference: ctx.app.reference,
    t: ctx.t,
  });
}

export const sectionEditorPage: PageModule<SectionEditorModel> = {
  formLimits: { maxFields: 1000 },

  async load(ctx, refusal?: Refusal) {
    const opened = await open(ctx, refusal !== undefined);
    if (!opened) return notFound();
    const { t } = ctx;
    const { section, access } = opened;
    const { proposal } = access;
    const values = (refusal?.values as FormValues | undefined) ?? valuesFromDraft(proposal.draft, section);
    const errors = refusal?.errors ?? {};
    const here = `/proposals/${proposal.id}/edit/${section}`;
    const next = SECTIONS[SECTIONS.indexOf(section) + 1];
    const spec = SECTION_SPECS[section];
    return {
      proposalId: proposal.id,
      section,
      title: t('proposals.edit.title', { section: sectionName(t, section) }),
      proposalTitle: proposalTitle(proposal.draft, t),
      sections: SECTIONS.map((s) => ({ section: s, name: sectionName(t, s), href: `/proposals/${proposal.id}/edit/${s}` })),
      next: next && { section: next, name: sectionName(t, next) },
      saved: !refusal && ctx.url.searchParams.has('saved') && ctx.request.method === 'GET',
      summary: Object.entries(errors).map(([f, m]) => ({ href: `#${f === 'form' ? 'section-form' : idOf(f)}`, message: m })),
      conflict: refusal?.conflict,
      // After a conflict the form keeps the person's text and carries the revision saved meanwhile.
      revision: refusal?.conflict?.revision ?? sectionRevision(proposal, section),
      action: here,
      autosave: `${here}/autosave`,
      hint: spec.hint ? t(spec.hint) : undefined,
      items: sectionItems(section, values, errors, ctx.app.reference, t),
    };
  },

  async post(ctx, form) {
    const opened = await open(ctx, true);
    if (!opened) return notFound();
    const { section, access } = opened;
    const proposalId = access.proposal.id;
    const values = formValues(form);
    const result = await save(ctx, proposalId, section, values);
    if (result.ok) {
      const next = form.get('next');
      const target = typeof next === 'string' && isSection(next) ? next : section;
      return redirect(`/proposals/${proposalId}/edit/${target}${target === section ? '?saved=1' : ''}`);
    }
    if (result.status === 404) return redirect(`/proposals/${proposalId}`);
    return refuse(result.status, result.errors, { values, conflict: result.conflict });
  },
};

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });

/**
 * The background save of a section form (`<aix-autosave>`): `{ ok, savedAt, revision }`, 400
 * with `{ ok: false, errors }`, or 409 (problem+json) when someone else saved the section
 * meanwhile; for anyone who may not edit it the section does not exist (404).
 */
export async function autosaveSection(Astro: RequestParts & { rewrite(path: string): Promise<Response> }): Promise<Response> {
  const ctx = pageContext(Astro);
  const opened = await open(ctx, true);
  if (!opened) return Astro.rewrite('/404');
  const { t } = ctx;
  const form: FormLike | undefined = await readForm(ctx.request, sectionEditorPage.formLimits);
  if (!form) return json({ ok: false, errors: { form: t('proposals.error.form') } }, 400);
  const result = await save(ctx, opened.access.proposal.id, opened.section, formValues(form));
  if (result.ok) return json({ ok: true, savedAt: result.savedAt.toISOString(), revision: result.revision }, 200);
  if (result.status === 409)
    return problem({
      title: t('conflict.heading'),
      status: 409,
      detail: result.errors.form ?? t('proposals.error.notEditable'),
      ok: false,
      errors: [{ param: REVISION_FIELD, detail: result.errors.form ?? '' }],
      ...(result.conflict
        ? {
            revision: result.conflict.revision,
            savedAt: result.conflict.at?.toISOString() ?? null,
            savedBy: result.conflict.by,
            fields: result.conflict.fields.map((f) => f.name),
          }
        : {}),
    });
  return json({ ok: false, errors: result.errors }, result.status);
}
