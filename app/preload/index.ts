import { contextBridge, ipcRenderer } from 'electron';

// Named functions only: the renderer never sees ipcRenderer itself. The channel name is repeated
// here (rather than imported from app/ipc) because the sandboxed preload is bundled on its own.
contextBridge.exposeInMainWorld('movelog', {
  invoke: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('movelog:invoke', name, input),
});
