// Every table of the renderer: a `table.grid` with column headers (when any column has one),
// one row per item, an optional detail row under an item (a confirmation form), and an empty
// state. Own component rather than a headless table library: no table here sorts, filters or
// pages, which is what such a library manages; this renders the same markup in one place.
import { Fragment } from 'react';
import type { ReactNode } from 'react';

export interface Column<T> {
  /** Header text; a column without one has no header cell text (and no table has a header row if none has). */
  readonly header?: string;
  /** Keeps the header for screen readers only (an actions column). */
  readonly hideHeader?: boolean;
  readonly cell: (row: T) => ReactNode;
  /** The cell is the row's header (`<th scope="row">`), which names the row. */
  readonly rowHeader?: boolean;
  readonly className?: string;
  /** A tooltip for the cell (e.g. the full key behind a short one). */
  readonly title?: (row: T) => string | undefined;
}

export function DataTable<T>(props: {
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  /** A stable key per row (the index only for rows that have no identity of their own). */
  readonly rowKey: (row: T, index: number) => string;
  /** Extra classes beside `grid`. */
  readonly className?: string;
  readonly label?: string;
  readonly labelledBy?: string;
  readonly rowClassName?: (row: T) => string | undefined;
  /** A full-width row under the item when it returns something (`detailClassName` on its `<tr>`). */
  readonly detail?: (row: T) => ReactNode;
  readonly detailClassName?: string;
  /** Shown (as `.empty`) instead of the table when there are no rows; without it the table stays, empty. */
  readonly empty?: ReactNode;
}) {
  const { rows, columns, rowKey } = props;
  if (rows.length === 0 && props.empty !== undefined) return <p className="empty">{props.empty}</p>;
  const headed = columns.some((c) => c.header !== undefined);
  return (
    <table className={props.className ? `grid ${props.className}` : 'grid'} aria-label={props.label} aria-labelledby={props.labelledBy}>
      {headed && (
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c.header ?? String(i)} scope="col">
                {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {rows.map((row, index) => {
          const detail = props.detail?.(row);
          return (
            <Fragment key={rowKey(row, index)}>
              <tr className={props.rowClassName?.(row) || undefined}>
                {columns.map((c, i) => {
                  const Cell = c.rowHeader ? 'th' : 'td';
                  return (
                    <Cell key={c.header ?? String(i)} scope={c.rowHeader ? 'row' : undefined} className={c.className} title={c.title?.(row)}>
                      {c.cell(row)}
                    </Cell>
                  );
                })}
              </tr>
              {detail !== undefined && detail !== null && detail !== false && (
                <tr className={props.detailClassName}>
                  <td colSpan={columns.length}>{detail}</td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
