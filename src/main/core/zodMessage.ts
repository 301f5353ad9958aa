import type { z } from 'zod';

/** One readable line per problem, naming the field: `params.limit: Too big: expected <=1000`. */
export function zodMessage(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
