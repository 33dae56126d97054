import type { ProposalComplete } from '../proposals/content.ts';
import type { LayerKey } from '../../../db/schema/package.ts';

/** A frozen version's content as the review page reads it: every part optional, so old or odd data never breaks the page. */
export type VersionContent = Partial<Omit<ProposalComplete, 'layers' | 'compliance'>> & {
  layers?: Partial<ProposalComplete['layers']>;
  compliance?: Partial<ProposalComplete['compliance']>;
  consortium?: {
    name?: string;
    members?: {
      legalName: string;
      countryOfIncorporation: string;
      headquartersCountry: string;
      concernControlled: boolean;
      role: string;
      layers: LayerKey[];
    }[];
  };
};

export function versionContent(raw: unknown): VersionContent {
  return raw && typeof raw === 'object' ? (raw as VersionContent) : {};
}

/** The U.S.-content presumption of the call: at least 51% of the hardware layer's value of U.S. origin. */
export const US_CONTENT_PRESUMPTION_PCT = 51;
