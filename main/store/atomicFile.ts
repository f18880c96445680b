import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * A file written so that its final name only ever holds a whole, synced file
 * (docs/architecture.md#long-work-off-the-main-thread): the bytes go to `<name>.partial-<pid>-<random>`
 * beside it (mode 0600, created exclusively), and `commit()` flushes, fsyncs, renames it onto the
 * final name (rename(2) is atomic within a file system) and fsyncs the folder so the rename itself
 * survives a power cut. `abort()` closes and removes the partial. A crash leaves at most a
 * `.partial-*` file, never the final name; `removePartials` clears those of a folder.
 */
export interface AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path the bytes are written to. */
  readonly partial: string;
  write(data: string | Uint8Array): void;
  /** Syncs and renames onto the final name. Idempotent once done; refused after abort. */
  commit(): void;
  /** Closes and removes the partial file; the final name is untouched. Safe to call more than once, and after commit (then a no-op). */
  abort(): void;
}

export const PARTIAL_MARK = '.partial-';

function partialPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}${PARTIAL_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** fsync of the folder, so a rename in it is durable (POSIX; a no-op where folders cannot be opened). */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL); the rename was still made.
  } finally {
    closeSync(fd);
  }
}

/** Opens a write target for `path` (synchronous writes; see `openAtomicStream` for streams). */
export function openAtomic(path: string): AtomicFile {
  const partial = partialPathFor(path);
  let fd: number | null = openSync(partial, 'wx', 0o600);
  let state: 'open' | 'committed' | 'aborted' = 'open';
  return {
    path,
    partial,
    write(data) {
      if (state !== 'open' || fd === null) throw new Error(`${path} is no longer open for writing`);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    },
    commit() {
      if (state === 'committed') return;
      if (state === 'aborted' || fd === null) throw new Error(`${path} was abandoned; it cannot be committed`);
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(partial, path);
      state = 'committed';
      syncFolder(dirname(path));
    },
    abort() {
      if (state !== 'open') return;
      state = 'aborted';
      if (fd !== null) closeSync(fd);
      fd = null;
      rmSync(partial, { force: true });
    },
  };
}

/** A stream form (CSV and PDF writers pipe into `stream`); commit waits for it to finish. */
export interface AtomicStream {
  readonly path: string;
  readonly partial: string;
  readonly stream: WriteStream;
  /** Ends the stream (if not ended), waits until written, fsyncs, renames, syncs the folder. */
  commit(): Promise<void>;
  /** Destroys the stream and removes the partial. */
  abort(): Promise<void>;
}

export function openAtomicStream(path: string): AtomicStream {
  const partial = partialPathFor(path);
  // Opened here, exclusively and 0600, so the stream never creates the file with other modes;
  // the stream closes it when it ends or is destroyed.
  const stream = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o600) });
  let state: 'open' | 'committed' | 'aborted' = 'open';
  return {
    path,
    partial,
    stream,
    async commit() {
      if (state === 'committed') return;
      if (state === 'aborted') throw new Error(`${path} was abandoned; it cannot be committed`);
      if (!stream.writableEnded) stream.end();
      try {
        await finished(stream);
        // fsync(2) of any descriptor of the file flushes its data (the stream's own is closed by now).
        const fd = openSync(partial, 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(partial, path);
      } catch (error) {
        state = 'open';
        await this.abort();
        throw error;
      }
      state = 'committed';
      syncFolder(dirname(path));
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      stream.destroy();
      await finished(stream).catch(() => undefined);
      rmSync(partial, { force: true });
    },
  };
}

/**
 * Runs `write` against a target for `path`, committing when it resolves and removing the partial
 * when it throws (or `signal` aborts): the brief's `writeAtomic`. The stream form is given.
 */
export async function writeAtomic<T>(path: string, write: (target: AtomicStream) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const target = openAtomicStream(path);
  try {
    const value = await write(target);
    signal?.throwIfAborted();
    await target.commit();
    return value;
  } catch (error) {
    await target.abort();
    throw error;
  }
}

/** Removes the `.partial-*` files a crash left in `dir` (at open; never a final name). */
export function removePartials(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.includes(PARTIAL_MARK)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // Another process's partial being written right now, or already gone.
    }
  }
  return removed;
}
