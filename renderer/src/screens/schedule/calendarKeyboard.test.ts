import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CursorContext, eventKey, parseSlotKey, SlotWrapper, slotKey } from './calendarKeyboard.js';

const at = new Date(2026, 11, 1, 9, 15);
const label = (d: Date) => `Book at ${d.getHours()}:${d.getMinutes()}`;
/** A slot as react-big-calendar 1.20 draws it: a day column's has no children, the gutter's has its label or null. */
const slot = (children?: unknown) => createElement('div', { className: 'rbc-time-slot' }, ...(children === undefined ? [] : [children as string]));
const render = (tabStop: string | null, slots: boolean, child: ReturnType<typeof slot>, resource?: string) =>
  renderToStaticMarkup(
    createElement(
      CursorContext,
      { value: { tabStop, slots, slotLabel: label } },
      createElement(SlotWrapper, { value: at, ...(resource === undefined ? {} : { resource }), children: child }),
    ),
  );

describe('slot keys', () => {
  it('round-trip a time and its column, and are not a visit', () => {
    expect(parseSlotKey(slotKey(at.getTime(), 'priya'))).toEqual({ ms: at.getTime(), resource: 'priya' });
    expect(parseSlotKey(slotKey(at.getTime(), undefined))).toEqual({ ms: at.getTime(), resource: '' });
    expect(parseSlotKey(eventKey('a1'))).toBeNull();
  });
});

describe('SlotWrapper', () => {
  it("makes a day column's time a named button, the Tab stop only when it is the cursor", () => {
    const key = slotKey(at.getTime(), 'priya');
    expect(render(key, true, slot(), 'priya')).toBe(
      `<div class="rbc-time-slot" tabindex="0" role="button" aria-label="Book at 9:15" data-cal-key="${key}" data-start="${at.getTime()}"></div>`,
    );
    expect(render(null, true, slot(), 'priya')).toContain('tabindex="-1"');
  });

  it("leaves the gutter's times and every time for people who cannot book as drawn", () => {
    expect(render(null, true, slot(null))).toBe('<div class="rbc-time-slot"></div>');
    expect(render(null, false, slot())).toBe('<div class="rbc-time-slot"></div>');
  });
});
