import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormError } from './FormError.js';
import { Loading } from './Loading.js';
import { Notice, Outcome } from './Notice.js';
import { SubmitBlock } from './SubmitBlock.js';

const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);

describe('FormError, Notice and Outcome', () => {
  it('announce their message, and render nothing without one', () => {
    expect(html(createElement(FormError, { message: 'Refused.' }))).toBe('<p class="form-error" role="alert">Refused.</p>');
    expect(html(createElement(FormError, { as: 'div' }, 'Forked.'))).toBe('<div class="form-error" role="alert">Forked.</div>');
    for (const message of [null, undefined, '']) expect(html(createElement(FormError, { message }))).toBe('');
    expect(html(createElement(Notice, null, 'Note signed.'))).toBe('<p class="notice" role="status">Note signed.</p>');
    expect(html(createElement(Notice, null, null))).toBe('');
    expect(html(createElement(Outcome, { message: { error: true, text: 'No.' } }))).toBe('<p class="form-error" role="alert">No.</p>');
    expect(html(createElement(Outcome, { message: { error: false, text: 'Saved.' } }))).toBe('<p role="status">Saved.</p>');
    expect(html(createElement(Outcome, { message: null }))).toBe('');
  });
});

describe('Loading', () => {
  it('marks its line busy, centred for the whole window', () => {
    expect(html(createElement(Loading))).toBe('<p aria-busy="true">Loading…</p>');
    expect(html(createElement(Loading, { page: true }, 'Opening Movelog…'))).toBe('<p class="loading" aria-busy="true">Opening Movelog…</p>');
  });
});

describe('SubmitBlock', () => {
  it('shows the server error above the submit button', () => {
    expect(html(createElement(SubmitBlock, { error: 'Name taken.', label: 'Add', busyLabel: 'Adding…' }))).toBe(
      '<p class="form-error" role="alert">Name taken.</p><button type="submit">Add</button>',
    );
  });

  it('disables and relabels the button while busy, with the other buttons in a row', () => {
    const cancel = createElement('button', { type: 'button' }, 'Cancel');
    expect(html(createElement(SubmitBlock, { label: 'Remove', busy: true, busyLabel: 'Removing…', danger: true, row: true }, cancel))).toBe(
      '<div class="row"><button type="submit" class="danger" disabled="">Removing…</button><button type="button">Cancel</button></div>',
    );
  });

  it('puts its note between the error and the button', () => {
    const note = createElement('p', { role: 'status' }, 'Fran can now sign in.');
    expect(html(createElement(SubmitBlock, { label: 'Add', note }))).toBe(
      '<p role="status">Fran can now sign in.</p><button type="submit">Add</button>',
    );
  });
});
