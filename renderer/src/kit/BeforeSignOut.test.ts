import { describe, expect, it } from 'vitest';
import { beforeSignOutRegistry } from './BeforeSignOut.js';

describe('work before sign-out', () => {
  it('waits for every registered task, even when one fails, and forgets removed ones', async () => {
    const registry = beforeSignOutRegistry();
    const done: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    registry.add(async () => {
      await slow;
      done.push('draft saved');
    });
    registry.add(() => Promise.reject(new Error('main refused')));
    const remove = registry.add(async () => {
      done.push('removed task ran');
      await Promise.resolve();
    });
    remove();
    let finished = false;
    const running = registry.run().then(() => (finished = true));
    await Promise.resolve();
    expect(finished).toBe(false);
    release();
    await running;
    expect(done).toEqual(['draft saved']);
  });
});
