import type { APIRoute } from 'astro';
import { autosaveSection } from '../../../../../lib/proposals/pages/section.ts';

/** POST: the background save of a section form (`<aix-autosave>`); see `autosaveSection`. */
export const POST: APIRoute = (context) => autosaveSection(context);
