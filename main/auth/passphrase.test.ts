import { describe, expect, it } from 'vitest';
import { hashPassphrase, verifyPassphrase } from './passphrase.js';

describe('passphrase verifiers (scrypt)', () => {
  it('verifies the right passphrase and refuses a wrong one', async () => {
    const verifier = await hashPassphrase('correct horse battery staple');
    expect(verifier).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassphrase('correct horse battery staple', verifier)).toBe(true);
    expect(await verifyPassphrase('correct horse battery stapler', verifier)).toBe(false);
  });

  it('salts every verifier and treats composed and decomposed accents alike', async () => {
    const a = await hashPassphrase('café au lait, s’il vous plaît');
    const b = await hashPassphrase('café au lait, s’il vous plaît');
    expect(a).not.toBe(b);
    expect(await verifyPassphrase('cafe\u0301 au lait, s’il vous plaît', a)).toBe(true);
  });

  it('rejects something that is not a verifier', async () => {
    await expect(verifyPassphrase('x', 'bcrypt$2$whatever')).rejects.toThrow(RangeError);
  });
});
