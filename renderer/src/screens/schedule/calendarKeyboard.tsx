// The calendar's keyboard model (docs/architecture.md#accessibility). The time grid is one Tab
// stop (a roving tabindex, WAI-ARIA Authoring Practices "Managing focus within components"): the
// cursor is a visit or, for people who book, a free time. Arrow keys move it (up and down through
// the column's visits and the times between them, left and right to the same time in the next
// column), Page Up/Down by an hour, Home/End to the column's first and last; Enter or Space books
// at a time or opens a visit. react-big-calendar 1.20 has no keyboard model of its own: every
// visit is a Tab stop and times cannot be focused, so the times get their attributes through its
// `timeSlotWrapper` and the visits through the element drawn inside them (`components.event`).
import { Children, cloneElement, createContext, isValidElement, useContext, useLayoutEffect, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';

/** The roving tab stop's key: `slot:<ms>:<resource>` for a time, `event:<id>` for a visit or an hour's count. */
export const slotKey = (ms: number, resource: string | number | undefined | null) => `slot:${ms}:${resource ?? ''}`;
export const eventKey = (id: string) => `event:${id}`;

/** A slot key's time and resource (`''` when the calendar has no columns by resource); null for a visit's key. */
export function parseSlotKey(key: string): { readonly ms: number; readonly resource: string } | null {
  const m = /^slot:(-?\d+):(.*)$/.exec(key);
  return m ? { ms: Number(m[1]), resource: m[2] ?? '' } : null;
}

export interface CursorState {
  /** The element that takes Tab into the grid. */
  readonly tabStop: string | null;
  /** Whether times are places to book (for people who may book). */
  readonly slots: boolean;
  /** A time's accessible name ("Book at 09:15, Tuesday 1 December"). */
  readonly slotLabel: (at: Date) => string;
}

export const CursorContext = createContext<CursorState>({ tabStop: null, slots: false, slotLabel: (at) => at.toString() });

/**
 * `components.timeSlotWrapper`: one 15-minute time of a day column, focusable (tabindex -1 but
 * for the cursor's) and named. The time gutter draws its slots through the same wrapper; it hands
 * them their labels (or null) as children, where a day column hands none, and those stay as drawn.
 */
export function SlotWrapper(props: { readonly value?: Date; readonly resource?: string | number; readonly children?: ReactNode }) {
  const { tabStop, slots, slotLabel } = useContext(CursorContext);
  const child = Children.only(props.children);
  if (!slots || !props.value || !isValidElement(child)) return <>{props.children}</>;
  const slot = child as ReactElement<{ children?: ReactNode }>;
  if (slot.props.children !== undefined) return slot;
  const key = slotKey(props.value.getTime(), props.resource);
  return cloneElement(slot as ReactElement<Record<string, unknown>>, {
    tabIndex: key === tabStop ? 0 : -1,
    role: 'button',
    'aria-label': slotLabel(props.value),
    'data-cal-key': key,
    'data-start': props.value.getTime(),
  });
}

/**
 * Marks the visit element react-big-calendar drew around `children` (its `.rbc-event`, a
 * role=button with tabindex 0 it does not let us set) with the cursor's key and times, and takes
 * it out of the Tab order unless it is the cursor.
 */
export function EventMark(props: { readonly id: string; readonly start: Date; readonly end: Date; readonly children: ReactNode }) {
  const { tabStop } = useContext(CursorContext);
  const ref = useRef<HTMLSpanElement>(null);
  const key = eventKey(props.id);
  const start = props.start.getTime();
  const end = props.end.getTime();
  useLayoutEffect(() => {
    const el = ref.current?.closest<HTMLElement>('.rbc-event');
    if (!el) return;
    el.tabIndex = key === tabStop ? 0 : -1;
    el.dataset.calKey = key;
    el.dataset.start = String(start);
    el.dataset.end = String(end);
  });
  return <span ref={ref}>{props.children}</span>;
}

interface Item {
  readonly el: HTMLElement;
  readonly start: number;
  readonly end: number;
  readonly event: boolean;
}

/** A day column's places for the cursor in time order: its visits and the times no visit covers. */
function itemsOf(column: Element): Item[] {
  const all = Array.from(column.querySelectorAll<HTMLElement>('[data-cal-key]')).map((el) => {
    const start = Number(el.dataset.start);
    const event = el.dataset.calKey?.startsWith('event:') ?? false;
    return { el, start, end: event ? Number(el.dataset.end) : start + 1, event };
  });
  const events = all.filter((i) => i.event);
  return all
    .filter((i) => i.event || !events.some((e) => e.start <= i.start && i.start < e.end))
    .sort((a, b) => a.start - b.start || Number(b.event) - Number(a.event));
}

/** The item at `t` in a column: a visit covering it, else the time at or just before it, else the nearest. */
function itemAt(items: readonly Item[], t: number): Item | null {
  const covering = items.find((i) => i.event && i.start <= t && t < i.end);
  if (covering) return covering;
  const before = items.filter((i) => i.start <= t);
  return before.at(-1) ?? items[0] ?? null;
}

/**
 * The visit drawn over a time, when `el` is a time under a visit: focus landing there (Tab onto a
 * tab stop a visit has since covered) belongs to the visit.
 */
export function coveringVisit(el: HTMLElement): HTMLElement | null {
  const column = el.closest('.rbc-day-slot');
  if (!column || el.dataset.calKey?.startsWith('slot:') !== true) return null;
  const t = Number(el.dataset.start);
  return itemsOf(column).find((i) => i.event && i.start <= t && t < i.end)?.el ?? null;
}

/** Where a key press on `from` moves the cursor (null: the key is not the calendar's, or nowhere to go). */
export function nextPlace(grid: Element, from: HTMLElement, key: string): HTMLElement | null {
  const column = from.closest('.rbc-day-slot');
  if (!column) return null;
  const items = itemsOf(column);
  const index = items.findIndex((i) => i.el === from);
  // A time under a visit is not one of the places; it stands where it is.
  const here = items[index] ?? { el: from, start: Number(from.dataset.start), end: Number(from.dataset.start) + 1, event: false };
  if (Number.isNaN(here.start)) return null;
  const hour = 3_600_000;
  switch (key) {
    case 'ArrowDown':
      return (index >= 0 ? items[index + 1] : items.find((i) => i.start > here.start))?.el ?? null;
    case 'ArrowUp':
      return (index >= 0 ? items[index - 1] : items.filter((i) => i.start < here.start).at(-1))?.el ?? null;
    case 'Home':
      return items[0]?.el ?? null;
    case 'End':
      return items.at(-1)?.el ?? null;
    case 'PageDown':
      return (items.find((i) => i.start >= here.start + hour) ?? items.at(-1))?.el ?? null;
    case 'PageUp':
      return (items.filter((i) => i.start <= here.start - hour).at(-1) ?? items[0])?.el ?? null;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const columns = Array.from(grid.querySelectorAll('.rbc-time-content .rbc-day-slot'));
      const step = key === 'ArrowRight' ? 1 : -1;
      // The same time of day in the next column that has somewhere to be.
      const offset = here.start - new Date(here.start).setHours(0, 0, 0, 0);
      for (let c = columns.indexOf(column) + step; c >= 0 && c < columns.length; c += step) {
        const next = itemsOf(columns[c] as Element);
        const first = next[0];
        if (!first) continue;
        const t = new Date(first.start).setHours(0, 0, 0, 0) + offset;
        return itemAt(next, t)?.el ?? null;
      }
      return null;
    }
    default:
      return null;
  }
}
