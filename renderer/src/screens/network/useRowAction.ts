import { useState } from 'react';

/**
 * One confirm-with-a-reason action open at a time in a table (remove a device, withdraw trust):
 * which row's form is open, the notice left after it was done, and focus back on the row's
 * button (`<idPrefix>-<rowId>`) when the form is cancelled.
 */
export function useRowAction(idPrefix: string) {
  const [openRow, setOpenRow] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return {
    notice,
    isOpen: (row: string) => openRow === row,
    open(row: string) {
      setNotice(null);
      setOpenRow(row);
    },
    cancel(row: string) {
      setOpenRow(null);
      document.getElementById(`${idPrefix}-${row}`)?.focus();
    },
    done(message: string) {
      setOpenRow(null);
      setNotice(message);
    },
  };
}
