import { useState } from 'react';
import type { ReactNode } from 'react';
import type { Bridge } from '../../bridge.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { ReasonForm } from './ReasonForm.js';

/** A confirm-with-a-reason action on a table's rows (remove a device, withdraw trust), in words and one call. */
export interface RowAction {
  /** Prefix of each row's button id (`<name>-<row key>`) and the reason input's id (`<name>-reason`). */
  readonly name: string;
  readonly button: string;
  /** The form's accessible name, for the row called `label`. */
  readonly formLabel: (label: string) => string;
  readonly question: (label: string) => string;
  /** What follows the question: what the action does and what it cannot undo. */
  readonly consequences: string;
  readonly placeholder: string;
  /** What to say when no reason is given. */
  readonly missing: string;
  readonly submit: string;
  readonly submitting: string;
  readonly send: (bridge: Bridge, key: string, reason: string) => Promise<{ ok: true } | { ok: false; error: { message: string } }>;
  readonly doneNotice: (label: string) => string;
}

/**
 * One such action open at a time in a table: each row's button, the row's form (a DataTable
 * detail row), the notice left after it was done, and focus back on the row's button when the
 * form is cancelled. `key` and `label` read a row's id and its name.
 */
export function useRowAction<T>(
  action: RowAction,
  row: { readonly key: (row: T) => string; readonly label: (row: T) => string },
  onDone: () => void,
) {
  const bridge = useBridge();
  const [openRow, setOpenRow] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const buttonId = (key: string) => `${action.name}-${key}`;
  return {
    notice,
    /** The row's button that opens its form. */
    trigger: (item: T): ReactNode => {
      const key = row.key(item);
      return (
        <button
          id={buttonId(key)}
          type="button"
          className="secondary"
          aria-expanded={openRow === key}
          onClick={() => {
            setNotice(null);
            setOpenRow(key);
          }}
        >
          {action.button}
        </button>
      );
    },
    /** DataTable props: row keys, and the open row's form as its detail row. */
    table: {
      rowKey: row.key,
      detailClassName: 'remove-row',
      detail: (item: T): ReactNode => {
        const key = row.key(item);
        if (openRow !== key) return null;
        const label = row.label(item);
        return (
          <ReasonForm
            id={`${action.name}-reason`}
            label={action.formLabel(label)}
            question={
              <>
                <strong>{action.question(label)}</strong> {action.consequences}
              </>
            }
            placeholder={action.placeholder}
            missing={action.missing}
            submit={action.submit}
            submitting={action.submitting}
            send={(reason) => action.send(bridge, key, reason)}
            onCancel={() => {
              setOpenRow(null);
              document.getElementById(buttonId(key))?.focus();
            }}
            onDone={() => {
              setOpenRow(null);
              setNotice(action.doneNotice(label));
              onDone();
            }}
          />
        );
      },
    },
  };
}
