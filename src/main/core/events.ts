import type { EventListener, FramelabEvent } from '../../shared/events';

/** In-process fan-out of the one event channel; transports subscribe and forward. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit(event: FramelabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
