import type { Cell } from '../opendata/schemas.ts';

/**
 * Statistical disclosure control, as statistical agencies do it for small cells: a count from
 * 1 to `min - 1` could single out a buyer or a deal, so it is withheld (primary suppression;
 * zero is published: it singles out no one). When the cells add up to a published total and
 * exactly one is withheld, it could be worked out by subtraction, so the smallest other cell is
 * withheld too (complementary suppression).
 */
export function suppress(
  raw: { key: string; label: string; count: number }[],
  min: number,
  options: { total?: number } = {},
): Cell[] {
  const cells: Cell[] = raw.map((c) => {
    const withheld = c.count > 0 && c.count < min;
    return { key: c.key, label: c.label, count: withheld ? null : c.count, withheld };
  });
  const sum = raw.reduce((n, c) => n + c.count, 0);
  const partitions = options.total !== undefined && sum === options.total;
  if (partitions && cells.filter((c) => c.withheld).length === 1) {
    const others = cells
      .map((cell, i) => ({ cell, raw: raw[i]! }))
      .filter(({ cell }) => !cell.withheld)
      .sort((a, b) => a.raw.count - b.raw.count);
    const next = others[0];
    if (next) {
      next.cell.count = null;
      next.cell.withheld = true;
    }
  }
  return cells;
}

/** One count on its own: withheld from 1 to `min - 1`. */
export function suppressOne(key: string, label: string, count: number, min: number): Cell {
  return suppress([{ key, label, count }], min)[0]!;
}
