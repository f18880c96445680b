import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field, fieldControl } from './Field.js';

const render = (props: { hint?: string; error?: string | null; errorRole?: 'alert'; className?: string }) =>
  renderToStaticMarkup(createElement(Field, { id: 'dob', label: 'Date of birth', ...props, children: (control) => createElement('input', control) }));

describe('fieldControl', () => {
  it('points the control at its hint and its error, and marks it invalid only while there is an error', () => {
    expect(fieldControl('dob', { hint: false, error: false })).toEqual({ id: 'dob', 'aria-invalid': undefined, 'aria-describedby': undefined });
    expect(fieldControl('dob', { hint: true, error: false })).toEqual({ id: 'dob', 'aria-invalid': undefined, 'aria-describedby': 'dob-hint' });
    expect(fieldControl('dob', { hint: false, error: true })).toEqual({ id: 'dob', 'aria-invalid': true, 'aria-describedby': 'dob-error' });
    expect(fieldControl('dob', { hint: true, error: true })).toEqual({ id: 'dob', 'aria-invalid': true, 'aria-describedby': 'dob-hint dob-error' });
  });
});

describe('Field', () => {
  it('labels the control and names the error paragraph in aria-describedby', () => {
    const html = render({ hint: 'YYYY-MM-DD', error: 'Enter a date.' });
    expect(html).toBe(
      '<label for="dob">Date of birth</label>' +
        '<input id="dob" aria-invalid="true" aria-describedby="dob-hint dob-error"/>' +
        '<p id="dob-hint" class="hint">YYYY-MM-DD</p>' +
        '<p id="dob-error" class="field-error">Enter a date.</p>',
    );
  });

  it('shows no error paragraph and no aria-invalid without an error (an empty message is none)', () => {
    for (const error of [undefined, null, '']) {
      expect(render({ error })).toBe('<label for="dob">Date of birth</label><input id="dob"/>');
    }
  });

  it('announces the error when asked, and wraps the parts when given a class', () => {
    expect(render({ error: 'Wrong.', errorRole: 'alert', className: 'field' })).toBe(
      '<div class="field"><label for="dob">Date of birth</label>' +
        '<input id="dob" aria-invalid="true" aria-describedby="dob-error"/>' +
        '<p id="dob-error" class="field-error" role="alert">Wrong.</p></div>',
    );
  });
});
