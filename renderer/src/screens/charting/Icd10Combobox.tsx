// Finding a diagnosis (docs/architecture.md#episodes-of-care): a text box that searches the bundled
// ICD-10-CM list by code or words as it is typed. WAI-ARIA 1.2 combobox pattern with a listbox
// popup ("list" autocomplete): Down/Up move through the suggestions (aria-activedescendant, focus
// stays in the box), Enter picks one, Escape closes the list. A well-formed code that is not in the
// list is offered too, to be described by hand.
import { useId, useMemo, useState } from 'react';
import { ICD10_SOURCE, searchIcd10 } from '../../../../shared/charting/icd10.js';
import type { Icd10Code } from '../../../../shared/charting/icd10.js';
import { ICD10_PATTERN } from '../../../../shared/ledger/kinds/notes.js';

const SHOWN = 8;

export function Icd10Combobox(props: { readonly id: string; readonly onPick: (code: Icd10Code) => void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const typedCode = query.trim().toUpperCase();
  const options = useMemo<(Icd10Code & { readonly byHand?: true })[]>(() => {
    if (query.trim() === '') return [];
    const found = searchIcd10(query, SHOWN);
    // Any well-formed code can be entered: one not in the list is offered, its text written by hand.
    return ICD10_PATTERN.test(typedCode) && !found.some((c) => c.code === typedCode)
      ? [...found, { code: typedCode, text: '', byHand: true as const }]
      : found;
  }, [query, typedCode]);
  const expanded = open && options.length > 0;
  const optionId = (i: number) => `${listId}-option-${String(i)}`;

  const pick = (option: Icd10Code) => {
    props.onPick(option);
    setQuery('');
    setOpen(false);
    setActive(0);
  };

  return (
    <div className="combobox">
      <label htmlFor={props.id}>Find a diagnosis (ICD-10-CM code or words)</label>
      <input
        id={props.id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? optionId(active) : undefined}
        aria-describedby={`${props.id}-hint`}
        autoComplete="off"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, options.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            const option = options[active];
            if (expanded && option) {
              e.preventDefault();
              pick(option);
            }
          } else if (e.key === 'Escape' && expanded) {
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      <p id={`${props.id}-hint`} className="hint">
        e.g. “knee pain” or M25.56. From {ICD10_SOURCE}. A code that is not in the list can be typed in full and described by hand.
      </p>
      <ul id={listId} role="listbox" aria-label="Diagnoses found" className="combobox-list" hidden={!expanded}>
        {options.map((o, i) => (
          <li
            key={o.code}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // Before the box's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(o);
            }}
          >
            <strong>{o.code}</strong> {o.byHand ? '— not in the list: describe it yourself' : o.text}
          </li>
        ))}
      </ul>
      {open && query.trim() !== '' && options.length === 0 && (
        <p className="hint" aria-live="polite">
          No diagnosis matches “{query.trim()}”. Type the full code (e.g. M25.561) to enter one that is not in the list.
        </p>
      )}
    </div>
  );
}
