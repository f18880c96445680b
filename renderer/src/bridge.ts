import type { ApiResult, CallInput, CallName, CallOutput } from '../../shared/api/index.js';

/**
 * The renderer's only way to reach Movelog: the Electron preload's `window.movelog` when present,
 * otherwise the browser host's WebSocket. The services cannot tell them apart.
 */
export interface Bridge {
  invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<ApiResult<CallOutput<K>>>;
}

interface PreloadApi {
  invoke(name: string, input: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    movelog?: PreloadApi;
  }
}

const TOKEN_KEY = 'movelog.token';

/** Takes the per-launch token from the URL fragment, keeps it for this tab, and hides it. */
function takeToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const disconnected = <T>(message: string): ApiResult<T> => ({ ok: false, error: { code: 'unavailable', message } });

class WebSocketBridge implements Bridge {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: ApiResult<unknown>) => void>();

  constructor(private readonly token: string) {}

  private connect(): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const url = new URL('/api', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('token', this.token);
      const socket = new WebSocket(url);
      socket.onopen = () => {
        this.socket = socket;
        this.opening = null;
        resolve(socket);
      };
      socket.onerror = () => undefined;
      socket.onclose = () => {
        this.opening = null;
        this.socket = null;
        for (const settle of this.waiting.values()) settle(disconnected('Lost the connection to Movelog. Is it still running?'));
        this.waiting.clear();
        reject(new Error('closed'));
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as { id: number | null; result: ApiResult<unknown> };
        if (message.id === null) return;
        this.waiting.get(message.id)?.(message.result);
        this.waiting.delete(message.id);
      };
    });
    return this.opening;
  }

  async invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<ApiResult<CallOutput<K>>> {
    let socket: WebSocket;
    try {
      socket = await this.connect();
    } catch {
      return disconnected('Cannot reach Movelog. If it was restarted, open the new address it printed (the old one stops working at restart).');
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (result: ApiResult<unknown>) => void);
      socket.send(JSON.stringify({ id, call: name, input }));
    });
  }
}

class PreloadBridge implements Bridge {
  constructor(private readonly api: PreloadApi) {}

  async invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<ApiResult<CallOutput<K>>> {
    return (await this.api.invoke(name, input)) as ApiResult<CallOutput<K>>;
  }
}

/** Picks the bridge this window has; null when neither exists (opened without the token). */
export function findBridge(): Bridge | null {
  if (window.movelog) return new PreloadBridge(window.movelog);
  const token = takeToken();
  return token ? new WebSocketBridge(token) : null;
}
