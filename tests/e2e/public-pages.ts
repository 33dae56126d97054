import { EAST_AFRICA_TELEMEDICINE } from './support.ts';

/** One address per public page type, with the status it answers (shared by the layout, HTML and axe checks). */
export const PUBLIC_PAGES: { name: string; path: string; status: number }[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'search', path: '/packages', status: 200 },
  { name: 'search with a query', path: '/packages?q=telemedicine', status: 200 },
  { name: 'search with no result', path: '/packages?q=xylophonequartzzz', status: 200 },
  { name: 'search past the last page', path: '/packages?q=health&page=9', status: 200 },
  { name: 'package', path: `/packages/${EAST_AFRICA_TELEMEDICINE.slug}`, status: 200 },
  { name: 'package no longer offered', path: '/packages/andean-mining-autonomy-and-ore-logistics-ai', status: 410 },
  {
    name: 'comparison',
    path: `/compare?p=${EAST_AFRICA_TELEMEDICINE.slug}&p=north-africa-and-levant-hospital-network-ai&q=agriculture`,
    status: 200,
  },
  { name: 'sectors', path: '/sectors', status: 200 },
  { name: 'sector', path: '/sectors/healthcare', status: 200 },
  { name: 'regions', path: '/regions', status: 200 },
  { name: 'region', path: '/regions/asean', status: 200 },
  { name: 'country', path: '/countries/KE', status: 200 },
  { name: 'embargoed country', path: '/countries/KP', status: 451 },
  { name: 'program page', path: '/about', status: 200 },
  { name: 'privacy', path: '/privacy', status: 200 },
  { name: 'sign in', path: '/account/sign-in', status: 200 },
  { name: 'sign up', path: '/account/sign-up', status: 200 },
  { name: '404', path: '/no-such-page', status: 404 },
];
