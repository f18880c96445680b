import { describe, expect, it } from 'vitest';
import { SignInGate } from './signInGate.js';

describe('SignInGate', () => {
  it('bounds the attempts of the whole process per minute, however many connections try', () => {
    let now = 0;
    const gate = new SignInGate(() => now, { perSource: 5, perConnection: 10, globalPerMinute: 60 });
    for (let i = 0; i < 60; i++) {
      const admitted = gate.admit(`tab-${i}`, `staff-${i}`);
      expect(admitted.ok).toBe(true);
      if (admitted.ok) gate.finished(admitted.attempt);
    }
    expect(gate.admit('tab-60', 'staff-60')).toEqual({ ok: false, why: 'too_many', waitMs: 60_000 });
    now += 60_000;
    expect(gate.admit('tab-60', 'staff-60').ok).toBe(true);
  });

  it('admits one attempt at a time per staff member and per connection, and frees them when the hash is done', () => {
    const gate = new SignInGate(() => 0);
    const first = gate.admit('tab', 'ana');
    expect(first.ok).toBe(true);
    expect(gate.admit('tab', 'bo')).toMatchObject({ ok: false, why: 'busy' });
    expect(gate.admit('other-tab', 'ana')).toMatchObject({ ok: false, why: 'busy' });
    expect(gate.admit('other-tab', 'bo').ok).toBe(true);
    if (first.ok) gate.finished(first.attempt);
    expect(gate.admit('tab', 'cy').ok).toBe(true);
  });

  it("forgives a source's failures after a right passphrase, but not another source's", () => {
    const gate = new SignInGate(() => 0, { perSource: 2, perConnection: 10, globalPerMinute: 60 });
    const fail = (tab: string) => {
      const a = gate.admit(tab, 'ana');
      if (a.ok) gate.finished(a.attempt);
      return a.ok;
    };
    expect([fail('bad'), fail('bad'), fail('bad')]).toEqual([true, true, false]);
    const own = gate.admit('ana-tab', 'ana');
    expect(own.ok).toBe(true);
    if (own.ok) gate.succeeded(own.attempt);
    expect(fail('bad')).toBe(false);
  });
});
