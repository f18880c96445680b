import type { SyncNode } from './node.js';
import { ensureClinicSecret, readSyncSettings } from './settings.js';
import { joinWithCode, servePairing } from './pairing.js';
import { startSync } from './peer.js';
import type { SyncPeer } from './peer.js';
import { TrustHandshakes } from './trust.js';

export interface PairingOutcome {
  readonly code: string;
  readonly state: 'waiting' | 'paired' | 'failed';
  readonly message: string | null;
}

/**
 * The network side of one running Movelog: the sync peer (when this process runs one) and
 * pairing sessions in progress. The services (UI and CLI alike) drive it; nothing starts
 * networking unless asked.
 */
export class NetworkRuntime {
  private peer: SyncPeer | null = null;
  readonly pairings = new Map<string, PairingOutcome>();
  /** Invitations between clinics in progress (trust.ts). */
  readonly handshakes: TrustHandshakes;
  private readonly tasks = new Set<Promise<unknown>>();
  /** Whether pairing and joining start the sync peer in this process (the app does; the CLI runs `sync` separately). */
  autoSync = false;
  /**
   * Whether this process ends as soon as a join is done (the CLI's `join`): its code room is then
   * left to the process's end rather than closed (see joinWithCode).
   */
  endsAfterJoin = false;

  constructor(private readonly node: SyncNode) {
    this.handshakes = new TrustHandshakes(node);
  }

  get syncing(): SyncPeer | null {
    return this.peer;
  }

  /** Starts the sync peer when this device has a clinic network key and a signalling server. */
  startIfConfigured(): SyncPeer | null {
    if (this.peer) return this.peer;
    if (readSyncSettings(this.node.db).signaling.length === 0) return null;
    if (!ensureClinicSecret(this.node.db, this.node.keystore, this.node.ledger.device.publicKey, Date.now())) return null;
    this.peer = startSync(this.node);
    return this.peer;
  }

  /** Serves a pairing code in the background; its outcome is kept in `pairings`. */
  servePairing(code: string, managerId: string): void {
    this.pairings.set(code, { code, state: 'waiting', message: null });
    const task = servePairing(this.node, code, managerId)
      .then((paired) => {
        this.pairings.set(code, { code, state: 'paired', message: `Paired "${paired.label}".` });
        if (this.autoSync) this.startIfConfigured();
      })
      .catch((error: unknown) => this.pairings.set(code, { code, state: 'failed', message: (error as Error).message }))
      .finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  async join(code: string, signaling: readonly string[], label: string): Promise<void> {
    await joinWithCode(this.node, code, signaling, label, undefined, { leaveOpen: this.endsAfterJoin });
    if (this.autoSync) this.startIfConfigured();
  }

  /** Waits until background pairing sessions end (for the CLI). */
  async settled(): Promise<void> {
    await Promise.all([...this.tasks]);
  }

  async stop(): Promise<void> {
    const peer = this.peer;
    this.peer = null;
    await peer?.stop();
  }
}
