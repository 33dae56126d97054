import { LAYER_KEYS, type LayerKey, type PackageBody } from '../../../db/schema/package.ts';
import { memberEligibility, type PolicyData } from '../reference/policy.ts';
import type { VersionContent } from '../review/view.ts';

/**
 * The body of a package — consortium, the five layers, markets, business model, financing,
 * compliance, contacts — as `ProposalBody` renders it, for the public package page (from a
 * designated package) and for the reviewers (from a frozen proposal version, every part of
 * which may be missing). Reviewers also see what the public is not shown: where members are
 * headquartered, their eligibility, the attestation and the contacts' addresses.
 */
export interface BodyModel {
  description?: string | undefined;
  consortiumName?: string | undefined;
  members: {
    name: string;
    anchor: boolean;
    description?: string | undefined;
    country: string;
    /** Reviewers only: headquarters, control from a country of concern, eligibility under the call. */
    headquarters?: string | undefined;
    concernControlled?: boolean | undefined;
    ineligible?: boolean | undefined;
    layers: LayerKey[];
  }[];
  layers: {
    key: LayerKey;
    /** Absent in a version that never filled the layer in. */
    present: boolean;
    supplied: boolean;
    summary?: string | undefined;
    offerings: { name: string; description: string; sector?: string | undefined }[];
  }[];
  hardware?: { usManufacturing?: string | undefined; usOriginContentPct: number } | undefined;
  targetCountries: string[];
  targetRegions: string[];
  businessModel?:
    | {
        deploymentModel?: string | undefined;
        builds?: string | undefined;
        owns?: string | undefined;
        operates?: string | undefined;
        description?: string | undefined;
      }
    | undefined;
  financing: { tool: string; note: string; amountUsd?: number | undefined }[];
  compliance: { exportControls?: string | undefined; outboundInvestment?: string | undefined; endUse?: string | undefined };
  /** Reviewers only: who attested the compliance statement (undefined: not attested). */
  attestation?: { name: string; title: string } | undefined;
  contacts: { name: string; title: string; organization: string; email?: string | undefined; phone?: string | undefined }[];
}

const anchorFirst = <T extends { anchor: boolean }>(members: T[]): T[] =>
  [...members].sort((a, b) => Number(b.anchor) - Number(a.anchor));

/** A designated package's body, as the public sees it. */
export function packageBody(row: { content: PackageBody; targetCountries: string[]; targetRegions: string[] }): BodyModel {
  const body = row.content;
  return {
    description: body.description,
    consortiumName: body.consortium.name,
    members: anchorFirst(body.consortium.members.map((m) => ({ ...m }))),
    layers: LAYER_KEYS.map((key) => ({ key, present: true, ...body.layers[key] })),
    hardware: body.layers.hardware,
    targetCountries: row.targetCountries,
    targetRegions: row.targetRegions,
    businessModel: body.businessModel,
    financing: body.financing,
    compliance: body.compliance,
    contacts: body.contacts.map(({ name, title, organization }) => ({ name, title, organization })),
  };
}

/** A frozen proposal version's body, as the reviewers see it (with what only they are shown). */
export function versionBody(content: VersionContent, policy: Pick<PolicyData, 'countriesOfConcern'>): BodyModel {
  const hardware = content.layers?.hardware;
  const attestation = content.compliance?.attestation;
  return {
    description: content.description,
    consortiumName: content.consortium?.name,
    members: anchorFirst(
      (content.consortium?.members ?? []).map((m) => ({
        name: m.legalName,
        anchor: m.role === 'anchor',
        country: m.countryOfIncorporation,
        headquarters: m.headquartersCountry,
        concernControlled: m.concernControlled,
        ineligible: memberEligibility(m, policy).length > 0,
        layers: m.layers ?? [],
      })),
    ),
    layers: LAYER_KEYS.map((key) => {
      const layer = content.layers?.[key];
      return {
        key,
        present: !!layer,
        supplied: layer?.supplied ?? false,
        summary: layer?.summary,
        offerings: layer?.offerings ?? [],
      };
    }),
    hardware: hardware && { usManufacturing: hardware.usManufacturing, usOriginContentPct: hardware.usOriginContentPct ?? 0 },
    targetCountries: content.targetCountries ?? [],
    targetRegions: content.targetRegions ?? [],
    businessModel: content.businessModel,
    financing: content.financing ?? [],
    compliance: content.compliance ?? {},
    attestation: attestation?.confirmed ? { name: attestation.name, title: attestation.title } : undefined,
    contacts: content.contacts ?? [],
  };
}
