import { beforeAll, describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here: contextBridge and ipcRenderer are faked at that boundary to
// see exactly what the preload gives the renderer.
const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
  },
}));

beforeAll(async () => {
  await import('./index.js');
});

describe('preload', () => {
  it('exposes one named function and never ipcRenderer itself', () => {
    expect([...exposed.keys()]).toEqual(['movelog']);
    const api = exposed.get('movelog') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['invoke']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('sends calls on the one invoke channel', async () => {
    const api = exposed.get('movelog') as { invoke: (name: string, input: unknown) => Promise<unknown> };
    await api.invoke('clinic.status', {});
    expect(invoked).toEqual([['movelog:invoke', 'clinic.status', {}]]);
  });
});
