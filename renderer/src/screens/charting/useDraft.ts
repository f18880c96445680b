// Autosave of the note being written (docs/architecture.md#drafts). The draft lives in main
// (drafts.save: sealed with the patient's key in the encrypted database, never in the ledger) and
// never in localStorage or sessionStorage. It is saved ~800 ms after the last change, at once
// when a field loses focus, when the window is hidden or closed, and before the session ends
// (the idle lock, "Lock", "Switch user": useBeforeSignOut), so an interruption loses at most the
// last keystrokes. Saves run one after another, so a draft is never created twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NoteDraft } from '../../../../shared/api/index.js';
import { useBeforeSignOut } from '../../kit/BeforeSignOut.js';
import { useBridge } from '../../kit/BridgeContext.js';

export const AUTOSAVE_DELAY_MS = 800;

export interface DraftState {
  /** The draft's id once saved (or resumed). */
  readonly draftId: string | null;
  /** When it was last saved. */
  readonly savedAt: number | null;
  /** Why the last save failed. */
  readonly error: string | null;
  /** Saves now what is not saved yet; resolves when saved (or refused) with the draft's id. */
  flush(): Promise<string | null>;
  /** Discards the draft in main; false when main refused. */
  discard(): Promise<boolean>;
  /** The note was signed (main removed the draft with it): nothing more is saved. */
  settle(): void;
}

/**
 * Keeps `content` as the patient's draft while `active` (the form has been changed by its writer).
 * `resumed` is the draft the form opened with, if any (read once: the form is remounted for another).
 */
export function useDraft(
  patientId: string,
  content: NoteDraft | null,
  active: boolean,
  resumed: { readonly draftId: string; readonly savedAt: number } | null,
): DraftState {
  const bridge = useBridge();
  const [draftId, setDraftId] = useState<string | null>(resumed?.draftId ?? null);
  const [savedAt, setSavedAt] = useState<number | null>(resumed?.savedAt ?? null);
  const [error, setError] = useState<string | null>(null);
  const json = content === null ? null : JSON.stringify(content);
  const latest = useRef({ json, active, draftId: resumed?.draftId ?? null, saved: json, settled: false });
  const queue = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<number | undefined>(undefined);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    queue.current = queue.current.then(async () => {
      const now = latest.current;
      if (now.settled || !now.active || now.json === null || now.json === now.saved) return;
      const sent = now.json;
      const result = await bridge.invoke('drafts.save', {
        patientId,
        ...(now.draftId ? { draftId: now.draftId } : {}),
        content: JSON.parse(sent) as NoteDraft,
      });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      latest.current.draftId = result.value.draftId;
      latest.current.saved = sent;
      setDraftId(result.value.draftId);
      setSavedAt(result.value.savedAt);
      setError(null);
    });
    return queue.current.then(() => latest.current.draftId);
  }, [bridge, patientId]);

  useEffect(() => {
    latest.current.json = json;
    latest.current.active = active;
    if (!active || json === latest.current.saved) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  }, [json, active, flush]);

  // Hidden (another window, minimised) or closing: save now, while the page can still send.
  useEffect(() => {
    const hidden = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const leaving = () => void flush();
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', leaving);
    window.addEventListener('beforeunload', leaving);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      window.removeEventListener('pagehide', leaving);
      window.removeEventListener('beforeunload', leaving);
      // The form closes (Cancel, another screen): what was typed is kept.
      void flush();
    };
  }, [flush]);

  useBeforeSignOut(flush);

  const discard = useCallback(async () => {
    window.clearTimeout(timer.current);
    await queue.current;
    const id = latest.current.draftId;
    if (id !== null) {
      const result = await bridge.invoke('drafts.discard', { draftId: id });
      if (!result.ok) {
        setError(result.error.message);
        return false;
      }
    }
    latest.current.draftId = null;
    latest.current.saved = latest.current.json;
    setDraftId(null);
    setSavedAt(null);
    setError(null);
    return true;
  }, [bridge]);

  const settle = useCallback(() => {
    window.clearTimeout(timer.current);
    latest.current.settled = true;
  }, []);

  return { draftId, savedAt, error, flush, discard, settle };
}
