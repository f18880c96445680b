import { createPublicKey } from 'node:crypto';
import { importPrivateKey, rawPublicKey } from './crypto/index.js';
import type { DeviceKey } from './ledger.js';

/**
 * The data folder's Ed25519 device key, from its PKCS#8 form kept in the vault
 * (docs/architecture.md#the-vault). It is never copied to another machine: one key on two
 * machines would fork its streams.
 */
export function deviceKeyFromPkcs8(der: Uint8Array): DeviceKey {
  const privateKey = importPrivateKey(der);
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}
