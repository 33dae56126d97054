/** The `page` URL parameter of the browse pages: a whole number from 1, or undefined if malformed. */
export function pageParam(url: URL, max = 500): number | undefined {
  const raw = url.searchParams.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : undefined;
}
