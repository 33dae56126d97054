import { DEPLOYMENT_MODELS, LAYER_KEYS, type LayerKey } from '../../../db/schema/package.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { SECTIONS, type Section } from './content.ts';

/**
 * The proposal editor's sections, each ONE field specification: which fields the form shows, in
 * what order, with which control, label, hint and limit, and where each value sits in the draft.
 * Everything else is read from it — parsing a posted form and merging it into the draft
 * (`editor.ts`), the draft shown as form values, the field labels of messages, and the editor's
 * markup (`src/components/proposals/SectionFields.astro`). Its limits are those of the zod
 * schemas (`db/schema/package.ts`, `content.ts`); `tests/unit/proposal-sections.test.ts` checks
 * that they agree.
 */

/** Where the values of a list of choices come from. */
export type OptionSource = 'sectors' | 'regions' | 'countries' | 'financing' | 'deployment' | 'yesno';

/** A form control and how its value is read. */
export type Control =
  /** A trimmed text, blank → absent; `rows` makes it a textarea. */
  | { kind: 'text'; max: number; rows?: number; type?: 'email' | 'tel'; autocomplete?: string }
  /** An email address (`max` characters). */
  | { kind: 'email'; max: number }
  /** A share 0–100, a trailing `%` allowed. */
  | { kind: 'percent' }
  /** A whole, positive number of dollars (spaces, commas and `$` allowed). */
  | { kind: 'amount' }
  /** One value of a list: radio buttons or a select with a placeholder. */
  | { kind: 'choice'; options: OptionSource; as: 'radio' | 'select' }
  /** Several values of a list: checkboxes or a multiple select. */
  | { kind: 'choices'; options: OptionSource; as: 'checkboxes' | 'select'; size?: number }
  /** A single checkbox that must be ticked to count (stored as `true`, or absent). */
  | { kind: 'confirm' };

export interface FieldSpec {
  type: 'field';
  /** The form field's name (in a repeated group, `<group>.<i>.<name>`). */
  name: string;
  /** The key of the value in its object of the draft (the name, unless given). */
  key?: string;
  control: Control;
  /** The label (or legend) on the form. */
  label: MessageKey;
  /** The field's name in messages and conflicts (the label, unless given; with `{n}` in a group). */
  messageLabel?: MessageKey;
  hint?: MessageKey;
}

/** A repeated group of rows (offerings, financing requests, contacts); blank rows are dropped. */
export interface GroupSpec {
  type: 'group';
  name: 'offerings' | 'financing' | 'contacts';
  /** Rows shown at least (one blank row more than are filled), and at most. */
  rows: number;
  maxRows: number;
  /** A legend around all rows (offerings), and a hint. */
  legend?: MessageKey;
  hint?: MessageKey;
  /** The legend of one row, with `{n}`. */
  rowLegend: MessageKey;
  fields: FieldSpec[];
}

/** Fields that sit together in one object of the draft (the attestation), under a legend. */
export interface FieldsetSpec {
  type: 'fieldset';
  key: string;
  legend: MessageKey;
  hint?: MessageKey;
  fields: FieldSpec[];
}

/** The 51 % U.S.-content presumption shown under the hardware layer's percentage. */
export interface PresumptionSpec {
  type: 'presumption';
  field: string;
}

export type Item = FieldSpec | GroupSpec | FieldsetSpec | PresumptionSpec;

export interface SectionSpec {
  section: Section;
  /**
   * Where the section's data sits in the draft: `[]` for keys at its top (overview, markets),
   * otherwise the path of its object — or of its list, for a section that is one group.
   */
  at: readonly string[];
  /** A hint above the fields. */
  hint?: MessageKey;
  /** The section's data is its one group's list of rows (financing, contacts). */
  list?: boolean;
  items: Item[];
}

const field = (name: string, label: MessageKey, control: Control, more: Partial<FieldSpec> = {}): FieldSpec => ({
  type: 'field',
  name,
  label,
  control,
  ...more,
});
const text = (max: number, rows?: number): Control => (rows ? { kind: 'text', max, rows } : { kind: 'text', max });

const offerings = (layer: LayerKey): GroupSpec => ({
  type: 'group',
  name: 'offerings',
  rows: 4,
  maxRows: 30,
  legend: 'proposals.edit.offerings',
  hint: 'proposals.edit.offerings.hint',
  rowLegend: 'proposals.edit.offering',
  fields: [
    field('name', 'proposals.field.name', text(160), { messageLabel: 'proposals.field.offering.name' }),
    field('description', 'proposals.field.description', text(2000, 3), {
      messageLabel: 'proposals.field.offering.description',
    }),
    ...(layer === 'applications'
      ? [
          field(
            'sector',
            'proposals.field.sector',
            { kind: 'choice', options: 'sectors', as: 'select' },
            {
              messageLabel: 'proposals.field.offering.sector',
            },
          ),
        ]
      : []),
  ],
});

function layer(section: LayerKey): SectionSpec {
  return {
    section,
    at: ['layers', section],
    items: [
      field(
        'supplied',
        'proposals.edit.supplied.legend',
        { kind: 'choice', options: 'yesno', as: 'radio' },
        {
          messageLabel: 'proposals.field.supplied',
        },
      ),
      field('summary', 'proposals.field.summary', text(2000, 5)),
      ...(section === 'hardware'
        ? [
            field('usManufacturing', 'proposals.field.usManufacturing', text(1000, 4)),
            field(
              'usOriginContentPct',
              'proposals.field.usOriginContentPct',
              { kind: 'percent' },
              { hint: 'proposals.edit.pct.hint' },
            ),
            { type: 'presumption', field: 'usOriginContentPct' } satisfies PresumptionSpec,
          ]
        : []),
      offerings(section),
    ],
  };
}

/** Every section's specification, in the editor's order. */
export const SECTION_SPECS: Record<Section, SectionSpec> = {
  overview: {
    section: 'overview',
    at: [],
    items: [
      field('title', 'proposals.field.title', text(200)),
      field('summary', 'proposals.field.summary', text(500, 3)),
      field('description', 'proposals.field.description', text(5000, 8)),
      field('sectors', 'proposals.field.sectors', { kind: 'choices', options: 'sectors', as: 'checkboxes' }),
    ],
  },
  ...(Object.fromEntries(LAYER_KEYS.map((k) => [k, layer(k)])) as Record<LayerKey, SectionSpec>),
  markets: {
    section: 'markets',
    at: [],
    items: [
      field(
        'targetCountries',
        'proposals.field.targetCountries',
        { kind: 'choices', options: 'countries', as: 'select', size: 12 },
        { hint: 'proposals.edit.countries.hint' },
      ),
      field('targetRegions', 'proposals.field.targetRegions', { kind: 'choices', options: 'regions', as: 'checkboxes' }),
    ],
  },
  business: {
    section: 'business',
    at: ['businessModel'],
    items: [
      field('deploymentModel', 'proposals.field.deploymentModel', { kind: 'choice', options: 'deployment', as: 'radio' }),
      field('builds', 'proposals.field.builds', text(1000, 3)),
      field('owns', 'proposals.field.owns', text(1000, 3)),
      field('operates', 'proposals.field.operates', text(1000, 3)),
      field('description', 'proposals.field.description', text(3000, 6)),
    ],
  },
  financing: {
    section: 'financing',
    at: ['financing'],
    list: true,
    hint: 'proposals.edit.financing.hint',
    items: [
      {
        type: 'group',
        name: 'financing',
        rows: 4,
        maxRows: 20,
        rowLegend: 'proposals.edit.financing.row',
        fields: [
          field(
            'tool',
            'proposals.field.tool',
            { kind: 'choice', options: 'financing', as: 'select' },
            {
              messageLabel: 'proposals.field.financing.tool',
            },
          ),
          field('note', 'proposals.field.note', text(1000, 3), { messageLabel: 'proposals.field.financing.note' }),
          field(
            'amountUsd',
            'proposals.field.amount',
            { kind: 'amount' },
            { messageLabel: 'proposals.field.financing.amountUsd' },
          ),
        ],
      },
    ],
  },
  compliance: {
    section: 'compliance',
    at: ['compliance'],
    items: [
      field('exportControls', 'proposals.field.exportControls', text(3000, 6)),
      field('outboundInvestment', 'proposals.field.outboundInvestment', text(3000, 6)),
      field('endUse', 'proposals.field.endUse', text(3000, 6)),
      {
        type: 'fieldset',
        key: 'attestation',
        legend: 'proposals.edit.compliance.attestation',
        hint: 'proposals.edit.compliance.attestation.hint',
        fields: [
          field(
            'attestationName',
            'proposals.field.attestationName',
            { kind: 'text', max: 200, autocomplete: 'name' },
            { key: 'name' },
          ),
          field(
            'attestationTitle',
            'proposals.field.attestationTitle',
            { kind: 'text', max: 200, autocomplete: 'organization-title' },
            { key: 'title' },
          ),
          field('confirmed', 'proposals.edit.confirm', { kind: 'confirm' }, { messageLabel: 'proposals.field.confirmed' }),
        ],
      },
    ],
  },
  contacts: {
    section: 'contacts',
    at: ['contacts'],
    list: true,
    items: [
      {
        type: 'group',
        name: 'contacts',
        rows: 3,
        maxRows: 10,
        rowLegend: 'proposals.edit.contact.row',
        fields: [
          field('name', 'proposals.field.name', text(200), { messageLabel: 'proposals.field.contact.name' }),
          field('title', 'proposals.field.contactTitle', text(200), { messageLabel: 'proposals.field.contact.title' }),
          field('organization', 'proposals.field.organization', text(200), {
            messageLabel: 'proposals.field.contact.organization',
          }),
          field('email', 'proposals.field.email', { kind: 'email', max: 254 }, { messageLabel: 'proposals.field.contact.email' }),
          field(
            'phone',
            'proposals.field.phone',
            { kind: 'text', max: 40, type: 'tel' },
            {
              messageLabel: 'proposals.field.contact.phone',
            },
          ),
        ],
      },
    ],
  },
};

export function isSection(value: string | undefined): value is Section {
  return (SECTIONS as readonly string[]).includes(value ?? '');
}

export function isLayer(section: Section): section is LayerKey {
  return (LAYER_KEYS as readonly string[]).includes(section);
}

/** The allowed values of the lists that are not reference data. */
export const FIXED_OPTIONS = {
  yesno: ['yes', 'no'],
  deployment: DEPLOYMENT_MODELS,
} as const;

/** The HTML `maxlength` of a control, and the longest text read from it. */
export function limitsOf(control: Control): { maxlength?: number; read: number } {
  switch (control.kind) {
    case 'text':
    case 'email':
      return { maxlength: control.max, read: control.max };
    case 'percent':
      return { maxlength: 6, read: 20 };
    case 'amount':
      return { maxlength: 20, read: 40 };
    case 'choice':
      return { read: 200 };
    default:
      return { read: 200 };
  }
}

/** Each group's row counts, whatever the section. */
export function groupOf(name: string): GroupSpec | undefined {
  for (const spec of Object.values(SECTION_SPECS))
    for (const item of spec.items) if (item.type === 'group' && item.name === name) return item;
  return undefined;
}

/** Every field of the specification with the group it repeats in, if any. */
export function allFields(): { field: FieldSpec; group?: GroupSpec }[] {
  const out: { field: FieldSpec; group?: GroupSpec }[] = [];
  for (const spec of Object.values(SECTION_SPECS)) {
    for (const item of spec.items) {
      if (item.type === 'field') out.push({ field: item });
      else if (item.type === 'fieldset') for (const f of item.fields) out.push({ field: f });
      else if (item.type === 'group') for (const f of item.fields) out.push({ field: f, group: item });
    }
  }
  return out;
}
