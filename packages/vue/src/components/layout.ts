/** How `LiveCoreView` arranges the seats of a layout template on a CSS grid. */
export interface SeatGridLayout {
  /** Name, also set as `data-layout` on the view (`grid`, `float`, `landscape`). */
  name: 'grid' | 'float' | 'landscape';
  /** Styles of the grid container. */
  container: Record<string, string>;
  /** Styles of the seat at `position` (its place in the seat list). */
  cell(position: number): Record<string, string>;
}

/**
 * The layout of a template: 600/800 a 3-column grid (the 9-grid), 601/801 the host big on the left and six small
 * seats in two columns on its right, 200 a 2×2 grid; anything else a square-ish grid for `count` seats.
 */
export function seatGridLayout(template: number, count: number): SeatGridLayout {
  const n = Math.max(1, count);
  if (template === 601 || template === 801) {
    return {
      name: 'float',
      container: { gridTemplateColumns: '2fr 1fr 1fr', gridTemplateRows: 'repeat(3, minmax(0, 1fr))', gridAutoRows: 'minmax(0, 1fr)' },
      cell: (position): Record<string, string> => (position === 0 ? { gridColumn: '1', gridRow: '1 / span 3' } : {}),
    };
  }
  const columns = template === 200 ? 2 : template === 600 || template === 800 ? 3 : Math.ceil(Math.sqrt(n));
  const rows = Math.max(1, Math.ceil(n / columns));
  return {
    name: template === 200 ? 'landscape' : 'grid',
    container: {
      gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
      gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))`,
    },
    cell: () => ({}),
  };
}
