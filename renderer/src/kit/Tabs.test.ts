import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Tabs } from './Tabs.js';

const render = (selected: 'record' | 'consent') =>
  renderToStaticMarkup(
    createElement(Tabs<'record' | 'consent'>, {
      id: 'patient',
      label: 'Parts of the record',
      tabs: [
        { key: 'record', label: 'Record' },
        { key: 'consent', label: 'Consent' },
      ],
      selected,
      onSelect: () => undefined,
      children: createElement('p', null, `the ${selected} panel`),
    }),
  );

describe('Tabs', () => {
  it('is one Tab stop: the chosen tab is selected and focusable, the others are reached by arrow keys', () => {
    const html = render('consent');
    expect(html).toContain('role="tablist" aria-label="Parts of the record"');
    expect(html).toContain('role="tab" id="patient-tab-record" aria-selected="false" aria-controls="patient-panel-record" tabindex="-1"');
    expect(html).toContain('role="tab" id="patient-tab-consent" aria-selected="true" aria-controls="patient-panel-consent" tabindex="0"');
  });

  it('renders only the chosen panel, labelled by its tab', () => {
    const html = render('record');
    expect(html).toContain('role="tabpanel" id="patient-panel-record" aria-labelledby="patient-tab-record"');
    expect(html).toContain('the record panel');
    expect(html).not.toContain('the consent panel');
  });
});
