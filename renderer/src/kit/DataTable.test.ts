import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable } from './DataTable.js';
import type { Column } from './DataTable.js';

interface Person {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}
const PEOPLE: readonly Person[] = [
  { id: 'a', name: 'Lee Chen', active: true },
  { id: 'b', name: 'Fran Ortiz', active: false },
];
const COLUMNS: readonly Column<Person>[] = [
  { header: 'Name', rowHeader: true, cell: (p) => p.name },
  { header: 'Status', title: (p) => p.id, cell: (p) => (p.active ? 'Active' : 'Deactivated') },
  { header: 'Actions', hideHeader: true, className: 'actions', cell: (p) => (p.active ? null : 'Reactivate') },
];

const render = (props: Partial<Parameters<typeof DataTable<Person>>[0]>) =>
  renderToStaticMarkup(createElement(DataTable<Person>, { rows: PEOPLE, columns: COLUMNS, rowKey: (p) => p.id, ...props }));

describe('DataTable', () => {
  it('renders a header row, one row per item with its row header, titles, classes and hidden headers', () => {
    expect(render({ label: 'Staff', rowClassName: (p) => (p.active ? '' : 'inactive') })).toBe(
      '<table class="grid" aria-label="Staff"><thead><tr>' +
        '<th scope="col">Name</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th>' +
        '</tr></thead><tbody>' +
        '<tr><th scope="row">Lee Chen</th><td title="a">Active</td><td class="actions"></td></tr>' +
        '<tr class="inactive"><th scope="row">Fran Ortiz</th><td title="b">Deactivated</td><td class="actions">Reactivate</td></tr>' +
        '</tbody></table>',
    );
  });

  it('shows the empty state instead of the table when there are no rows', () => {
    expect(render({ rows: [], empty: 'No staff yet.' })).toBe('<p class="empty">No staff yet.</p>');
  });

  it('keeps an empty table when no empty state is given (a list still loading)', () => {
    expect(render({ rows: [], labelledBy: 'staff-title', className: 'staff' })).toBe(
      '<table class="grid staff" aria-labelledby="staff-title"><thead><tr>' +
        '<th scope="col">Name</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th>' +
        '</tr></thead><tbody></tbody></table>',
    );
  });

  it('leaves out the header row when no column has a header', () => {
    const html = renderToStaticMarkup(
      createElement(DataTable<Person>, { rows: PEOPLE.slice(0, 1), columns: [{ cell: (p) => p.name }], rowKey: (p) => p.id }),
    );
    expect(html).toBe('<table class="grid"><tbody><tr><td>Lee Chen</td></tr></tbody></table>');
  });

  it('adds a full-width detail row under the items that have one', () => {
    const html = render({ detail: (p) => (p.id === 'b' ? 'Remove Fran?' : false), detailClassName: 'remove-row' });
    expect(html).toContain(
      '<tr><th scope="row">Fran Ortiz</th><td title="b">Deactivated</td><td class="actions">Reactivate</td></tr>' +
        '<tr class="remove-row"><td colSpan="3">Remove Fran?</td></tr></tbody>',
    );
    expect(html.match(/remove-row/g)).toHaveLength(1);
  });
});
