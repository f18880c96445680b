// Tabs over the parts of one view (a patient's record: the record itself, its consent), on the
// WAI-ARIA Authoring Practices Tabs pattern with automatic activation: the tab list is one Tab
// stop, Left/Right (and Home/End) move between tabs and show the one reached, and the panel is
// labelled by its tab (docs/architecture.md#accessibility). Only the chosen panel is rendered,
// so a tab's calls are made when it is opened.
import { useRef } from 'react';
import type { ReactNode } from 'react';

export interface Tab<K extends string> {
  readonly key: K;
  readonly label: string;
}

export function Tabs<K extends string>(props: {
  /** Ids of the tabs and panels start with it. */
  readonly id: string;
  /** The tab list's accessible name. */
  readonly label: string;
  readonly tabs: readonly Tab<K>[];
  readonly selected: K;
  readonly onSelect: (key: K) => void;
  /** The chosen tab's panel. */
  readonly children: ReactNode;
}) {
  const { id, tabs, selected, onSelect } = props;
  const buttons = useRef(new Map<K, HTMLButtonElement>());
  const move = (to: number) => {
    const tab = tabs[(to + tabs.length) % tabs.length];
    if (!tab) return;
    onSelect(tab.key);
    buttons.current.get(tab.key)?.focus();
  };
  const index = tabs.findIndex((t) => t.key === selected);
  return (
    <>
      <div
        role="tablist"
        aria-label={props.label}
        className="tabs"
        onKeyDown={(event) => {
          const to =
            event.key === 'ArrowRight'
              ? index + 1
              : event.key === 'ArrowLeft'
                ? index - 1
                : event.key === 'Home'
                  ? 0
                  : event.key === 'End'
                    ? tabs.length - 1
                    : null;
          if (to === null) return;
          event.preventDefault();
          move(to);
        }}
      >
        {tabs.map((tab) => (
          <button
            key={tab.key}
            ref={(el) => {
              if (el) buttons.current.set(tab.key, el);
              else buttons.current.delete(tab.key);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab.key}`}
            aria-selected={tab.key === selected}
            aria-controls={`${id}-panel-${tab.key}`}
            tabIndex={tab.key === selected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.key)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel-${selected}`} aria-labelledby={`${id}-tab-${selected}`} className="tab-panel">
        {props.children}
      </div>
    </>
  );
}
