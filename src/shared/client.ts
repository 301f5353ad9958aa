import type { Input, MethodName, Output } from './api';
import type { Envelope } from './envelope';
import { FramelabError } from './errors';
import type { EventListener } from './events';

/** Moves calls and events between a UI (or the CLI) and core. One per process boundary. */
export interface Transport {
  call(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: EventListener): () => void;
  /** Resolves once events flow (at once in process; when the socket opens over HTTP). */
  eventsReady(): Promise<void>;
}

type CallArgs<M extends MethodName> = Record<never, never> extends Input<M> ? [input?: Input<M>] : [input: Input<M>];

export interface Client {
  /** Resolves with the method's output or rejects with a FramelabError carrying its code. */
  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<Output<M>>;
  onEvent(listener: EventListener): () => void;
  eventsReady(): Promise<void>;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, ...args) {
      const envelope = await transport.call(method, args[0] ?? {});
      if (!envelope.ok) throw FramelabError.fromInfo(envelope.error);
      return envelope.value as never;
    },
    onEvent: (listener) => transport.subscribe(listener),
    eventsReady: () => transport.eventsReady(),
  };
}
