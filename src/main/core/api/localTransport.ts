import type { Transport } from '../../../shared/client';
import type { Core } from '../core';
import { dispatch } from './dispatch';
import type { Handlers } from './types';

/** In-process transport: the CLI and the tests call core directly, through the same dispatch. */
export function createLocalTransport(core: Core, handlers: Handlers): Transport {
  return {
    call: (method, input) => dispatch(handlers, core, method, input),
    subscribe: (listener) => core.events.subscribe(listener),
    eventsReady: () => Promise.resolve(),
  };
}
