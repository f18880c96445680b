import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMovelog } from '../../main/core.js';
import { DISK_FULL_MESSAGE } from '../../main/store/faults.js';
import { movelogCli } from '../support/cli.js';
import { openRaw, opensAndVerifies, storedHashes } from './support.js';

const PASSPHRASE = 'manager passphrase 1';

/** A fresh tmpfs of `size` (root only); the caller unmounts it with `unmount`. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-fault-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `The disk-full test needs a small tmpfs of its own, and mounting one failed (run the tests as root, or where mount -t tmpfs is allowed): ${(error as Error).message}`,
    );
  }
  return dir;
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'pipe' });
  rmSync(dir, { recursive: true, force: true });
}

const patient = (n: number) => ({
  details: {
    givenName: `Patient ${String(n)}`,
    familyName: 'Fullerton',
    preferredName: null,
    dateOfBirth: '1961-04-12',
    sex: 'female',
    phone: '555 123 4567',
    email: null,
    address: `${String(n)} Long Road, ${'Flat '.repeat(40)}Harbour Town`,
    emergencyContact: null,
    referralSource: null,
    insurance: null,
  },
  confirmDuplicate: true,
});

function registered(dir: string): number {
  const db = openRaw(dir, { readonly: true });
  try {
    return db.prepare<[], number>("SELECT count(*) FROM entries WHERE kind = 'patient.registered'").pluck().get() ?? 0;
  } finally {
    db.close();
  }
}

describe('a full disk (docs/architecture.md#faults)', () => {
  it('refuses the write that does not fit with a clear message, loses nothing written, and works again once space is freed', async () => {
    const mount = mountTmpfs('8m');
    try {
      const data = join(mount, 'data');
      const init = await movelogCli(['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], {
        MOVELOG_PASSPHRASE: PASSPHRASE,
      });
      expect(init.code, init.stderr).toBe(0);
      const movelog = openMovelog(data, Date.now, { warn: () => undefined, error: () => undefined });
      let filler = '';
      let saved = 0;
      try {
        const manager = movelog.db.prepare<[], string>("SELECT id FROM view_staff WHERE role = 'manager'").pluck().get() ?? '';
        const signIn = await movelog.invoke('c', 'cli', 'session.signIn', { staffId: manager, passphrase: PASSPHRASE });
        expect(signIn.ok).toBe(true);
        // Leave about 256 KiB free: the next few hundred registrations fill it.
        const { bavail, bsize } = statfsSync(mount);
        filler = join(mount, 'filler');
        writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 256 * 1024)));

        let refusal: { code: string; message: string } | null = null;
        let held = storedHashes(data);
        for (let n = 0; n < 5_000 && refusal === null; n++) {
          const result = await movelog.invoke('c', 'cli', 'patient.register', patient(n));
          if (result.ok) {
            saved++;
            held = storedHashes(data);
          } else refusal = result.error;
        }
        expect(refusal).toEqual({ code: 'unavailable', message: DISK_FULL_MESSAGE });
        expect(saved).toBeGreaterThan(0);
        // The refused registration left nothing behind; every one before it is there.
        expect(registered(data)).toBe(saved);
        const now = storedHashes(data);
        for (const [seq, hash] of held) expect(now.get(seq)).toBe(hash);
        expect(now.size).toBe(held.size);
        // Reading what needs no record still works on a full disk; patient data, whose every reading
        // is recorded (docs/architecture.md#access-audit), is not shown unrecorded: the same message.
        const staff = await movelog.invoke('c', 'cli', 'staff.list', {});
        expect(staff.ok && (staff.value as unknown[]).length).toBeGreaterThan(0);
        const found = await movelog.invoke('c', 'cli', 'patient.search', { query: 'Fullerton', limit: 200 });
        expect(found).toEqual({ ok: false, error: { code: 'unavailable', message: DISK_FULL_MESSAGE } });

        // The CLI says the same, in one line, with no stack trace.
        const demo = await movelogCli(['demo', '--data', join(mount, 'other'), '--patients', '20']);
        expect([demo.code, demo.stderr]).toEqual([2, `movelog: ${DISK_FULL_MESSAGE}\n`]);

        rmSync(filler);
        const again = await movelog.invoke('c', 'cli', 'patient.register', patient(10_000));
        expect(again.ok).toBe(true);
        saved++;
      } finally {
        movelog.close();
        rmSync(filler, { force: true });
      }
      const clean = await opensAndVerifies(data);
      expect(clean.verify).toMatch(/Views: all \d+ tables compared with a rebuild from the entries and equal\./);
      // Every registration the service confirmed, before the disk filled and after space was freed.
      expect(registered(data)).toBe(saved);
    } finally {
      unmount(mount);
    }
  });
});
