import { api, isMethodName, type MethodName } from '../../../shared/api';
import { fail, ok, type Envelope } from '../../../shared/envelope';
import { toErrorInfo } from '../../../shared/errors';
import type { Core } from '../core';
import { zodMessage } from '../zodMessage';
import type { Handler, Handlers } from './types';

/**
 * The single entry every transport calls: validates the input against the contract, runs the
 * handler, and turns any failure into an envelope with a stable code.
 */
export async function dispatch(handlers: Handlers, core: Core, method: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return fail({ code: 'UNKNOWN_METHOD', message: `There is no API method "${method}".` });
  }
  const parsed = api[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return fail({ code: 'INVALID_INPUT', message: `Invalid input for ${method}: ${zodMessage(parsed.error)}` });
  }
  try {
    const handler = handlers[method] as Handler<MethodName>;
    return ok(await handler(parsed.data as never, core));
  } catch (err) {
    const info = toErrorInfo(err);
    // Only a bug is logged with its stack; a path that is missing or unreadable is the caller's to fix.
    if (info.code === 'INTERNAL') console.error(`[framelab] ${method} failed:`, err);
    return fail(info);
  }
}
