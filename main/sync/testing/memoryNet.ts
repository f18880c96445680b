import * as Y from 'yjs';
import { LOCAL_ORIGIN } from '../replicator.js';

const REMOTE = Symbol('memory-net');

/**
 * Y.Docs wired to each other in memory, with links that can be cut and healed: the transport for
 * replicator tests (the real one is y-webrtc, tested between network namespaces). Records the
 * size of every update it carries.
 */
export class MemoryNet {
  private readonly docs = new Map<string, Y.Doc>();
  private readonly down = new Set<string>();
  readonly updateSizes: number[] = [];

  add(name: string): Y.Doc {
    const doc = new Y.Doc();
    this.docs.set(name, doc);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      if (origin !== LOCAL_ORIGIN) throw new Error('unexpected local change');
      this.updateSizes.push(update.length);
      for (const [other, otherDoc] of this.docs) if (other !== name && this.linked(name, other)) Y.applyUpdate(otherDoc, update, REMOTE);
    });
    for (const [other, otherDoc] of this.docs) if (other !== name) this.sync(name, doc, other, otherDoc);
    return doc;
  }

  linked(a: string, b: string): boolean {
    return !this.down.has(a) && !this.down.has(b);
  }

  /** Names of the docs `name` can reach now. */
  reachable(name: string): string[] {
    return [...this.docs.keys()].filter((other) => other !== name && this.linked(name, other));
  }

  /** Cuts `name` off from everyone. */
  cut(name: string): void {
    this.down.add(name);
  }

  /** Reconnects `name`; the docs exchange what they missed, as y-webrtc's sync step 1/2 does. */
  heal(name: string): void {
    this.down.delete(name);
    const doc = this.docs.get(name);
    if (!doc) return;
    for (const [other, otherDoc] of this.docs) if (other !== name && this.linked(name, other)) this.sync(name, doc, other, otherDoc);
  }

  private sync(_a: string, docA: Y.Doc, _b: string, docB: Y.Doc): void {
    const toB = Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB));
    const toA = Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA));
    Y.applyUpdate(docB, toB, REMOTE);
    Y.applyUpdate(docA, toA, REMOTE);
  }
}
