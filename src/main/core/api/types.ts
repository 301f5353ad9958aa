import type { MethodName, Output, ParsedInput } from '../../../shared/api';
import type { Core } from '../core';

export type Handler<M extends MethodName> = (input: ParsedInput<M>, core: Core) => Promise<Output<M>> | Output<M>;

/** The whole API as one map; each feature file provides its part, merged in handlers.ts. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** A feature's part of the map, checked against the contract without forcing the rest. */
export type HandlerGroup<M extends MethodName> = { [K in M]: Handler<K> };
