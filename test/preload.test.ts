import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEYS, IPC_CHANNELS } from '../src/shared/bridge';

/**
 * The preload is the renderer's only door. Electron itself cannot load here, so its two
 * objects are stood in for; what is checked is exactly what the preload hands over.
 */
const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke, on, removeListener, send: vi.fn(), sendSync: vi.fn() },
}));

describe('preload bridge', () => {
  beforeEach(async () => {
    vi.resetModules();
    for (const key of Object.keys(exposed)) delete exposed[key];
    invoke.mockClear();
    on.mockClear();
    removeListener.mockClear();
    await import('../src/preload/index');
  });

  it('exposes one object, window.framelab, with exactly call, onEvent and chooseSavePath', () => {
    expect(Object.keys(exposed)).toEqual(['framelab']);
    const bridge = exposed.framelab as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    for (const key of BRIDGE_KEYS) expect(typeof bridge[key]).toBe('function');
    // No raw ipcRenderer, no way to pick another channel.
    expect(Object.values(bridge)).not.toContain(invoke);
  });

  it('call goes through the one call channel and returns its envelope', async () => {
    const bridge = exposed.framelab as { call(m: string, i: unknown): Promise<unknown> };
    await expect(bridge.call('app.info', {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNELS.call, 'app.info', {});
  });

  it('onEvent listens on the event channel, hides the IPC event, and unsubscribes', () => {
    const bridge = exposed.framelab as { onEvent(l: (e: unknown) => void): () => void };
    const seen: unknown[] = [];
    const stop = bridge.onEvent((e) => seen.push(e));
    expect(on).toHaveBeenCalledWith(IPC_CHANNELS.event, expect.any(Function));
    const forward = on.mock.calls[0]![1] as (event: unknown, payload: unknown) => void;
    forward({ sender: 'secret ipc object' }, { type: 'data.changed', topics: ['jobs'] });
    expect(seen).toEqual([{ type: 'data.changed', topics: ['jobs'] }]);
    stop();
    expect(removeListener).toHaveBeenCalledWith(IPC_CHANNELS.event, forward);
  });

  it('chooseSavePath asks the main process on its own channel and returns the chosen path', async () => {
    const bridge = exposed.framelab as { chooseSavePath(r: unknown): Promise<unknown> };
    invoke.mockResolvedValueOnce('/home/me/reliability_pov.html' as never);
    const request = { kind: 'file', defaultName: 'reliability_pov.html', extension: 'html' };
    await expect(bridge.chooseSavePath(request)).resolves.toBe('/home/me/reliability_pov.html');
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNELS.chooseSavePath, request);
  });
});
