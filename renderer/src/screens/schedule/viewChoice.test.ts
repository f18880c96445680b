import { describe, expect, it } from 'vitest';
import { DEFAULT_CHOICE, loadViewChoice, saveViewChoice } from './viewChoice.js';
import type { ChoiceStorage } from './viewChoice.js';

/** An in-memory stand-in for localStorage. */
function memoryStorage(): ChoiceStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('the remembered schedule view', () => {
  it('is each staff member’s own: one person’s choice does not change another’s', () => {
    const storage = memoryStorage();
    expect(loadViewChoice(storage, 'fran')).toEqual(DEFAULT_CHOICE);
    saveViewChoice(storage, 'fran', { view: 'day', groupBy: 'therapist' });
    saveViewChoice(storage, 'sam', { view: 'week', groupBy: 'room' });
    expect(loadViewChoice(storage, 'fran')).toEqual({ view: 'day', groupBy: 'therapist' });
    expect(loadViewChoice(storage, 'sam')).toEqual({ view: 'week', groupBy: 'room' });
    expect(loadViewChoice(storage, 'lee')).toEqual(DEFAULT_CHOICE);
  });

  it('falls back to the default for anything stored that is not a choice, and without storage', () => {
    const storage = memoryStorage();
    for (const bad of ['{', '"day"', JSON.stringify({ view: 'month', groupBy: 'none' }), JSON.stringify({ view: 'day' })]) {
      storage.items.set('movelog.schedule.view.fran', bad);
      expect(loadViewChoice(storage, 'fran')).toEqual(DEFAULT_CHOICE);
    }
    expect(loadViewChoice(null, 'fran')).toEqual(DEFAULT_CHOICE);
  });

  it('a storage that refuses (full, disabled) only means the choice is not remembered', () => {
    const refusing: ChoiceStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveViewChoice(refusing, 'fran', { view: 'day', groupBy: 'none' })).not.toThrow();
    expect(loadViewChoice(refusing, 'fran')).toEqual(DEFAULT_CHOICE);
  });
});
