/** Browser-mode wire protocol shared by the server and its clients. */
export const HTTP_PATHS = { api: '/api/', events: '/events', files: '/files/' } as const;
export const TOKEN_QUERY_PARAM = 'token';
export const TOKEN_HEADER = 'authorization';
export const cookieNameForPort = (port: number): string => `framelab_token_${port}`;

export function listeningLine(url: string, token: string): string {
  return `Framelab listening on ${url}/?${TOKEN_QUERY_PARAM}=${token}`;
}
